package org.fastdowntime.fast;

import static org.fastdowntime.model.FastStage.FAILED;

import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import org.fastdowntime.downtime.Ending;
import org.fastdowntime.downtime.Journal;
import org.fastdowntime.downtime.Seal;
import org.fastdowntime.downtime.WindowFailures;
import org.fastdowntime.model.FastStage;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.SealedBundle;
import org.fastdowntime.ports.DatabaseActivities;

/**
 * A fast window's seal, once QA has decided and before anything is quiesced: the approved cold patches that are
 * still pending and pass their rehearsal ({@link Seal}). One that fails it is deferred with its error, in QA's
 * view and the announcement; a folder that no longer holds what was approved fails the window here, with nothing
 * quiesced or changed. Workflow code.
 */
final class WindowSeal {
    /**
     * What the seal left the window: the bundle, the cold patches it holds, every deferred patch (QA's and the
     * rehearsal's), and why there is no outage when the bundle is empty (else null).
     */
    record Sealed(SealedBundle bundle, List<PatchCandidate> cold, List<PatchId> deferred, String noOutage) {}

    private final Journal<FastStage> journal;
    private final Ending ending;
    private final WindowAnnouncements announce;
    private final QaGate qa;

    WindowSeal(Journal<FastStage> journal, Ending ending, WindowAnnouncements announce, QaGate qa) {
        this.journal = journal;
        this.ending = ending;
        this.announce = announce;
        this.qa = qa;
    }

    Sealed seal(DatabaseActivities db, String environment, List<PatchCandidate> approved, List<PatchId> deferred) {
        journal.stage(FastStage.SEALING);
        SealedBundle bundle;
        try {
            bundle = Seal.seal(db, environment, approved, true, journal);
        } catch (RuntimeException e) {
            WindowFailures.Reason r = WindowFailures.of(e);
            String why = "The bundle could not be sealed, nothing was quiesced or changed: " + r.message();
            ApplicationFailure failure = ending.fail(r.type(), why);
            journal.end(FAILED, r.type() + ": " + why);
            announce.failed(why);
            throw failure;
        }
        List<PatchId> failedRehearsal =
                bundle.deferred().stream().map(SealedBundle.Deferral::id).toList();
        for (SealedBundle.Deferral d : bundle.deferred()) {
            qa.deferred(d.id(), d.reason());
        }
        if (!failedRehearsal.isEmpty()) {
            announce.deferred(PatchId.join(failedRehearsal));
        }
        List<PatchId> allDeferred = new ArrayList<>(deferred);
        allDeferred.addAll(failedRehearsal);
        List<PatchId> ids = bundle.ids();
        String noOutage = !bundle.nothingToApply()
                ? null
                : failedRehearsal.isEmpty()
                        ? "Nothing to apply: every approved cold patch is applied already; no outage."
                        : "No outage: every approved cold patch failed its rehearsal (" + PatchId.join(failedRehearsal)
                                + "), so nothing reached the outage.";
        return new Sealed(
                bundle,
                approved.stream().filter(p -> ids.contains(p.id())).toList(),
                List.copyOf(allDeferred),
                noOutage);
    }
}
