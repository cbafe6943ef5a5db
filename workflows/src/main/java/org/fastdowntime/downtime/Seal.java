package org.fastdowntime.downtime;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.fastdowntime.model.EventCode;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.SealedBundle;
import org.fastdowntime.ports.DatabaseActivities;

/**
 * The seal every downtime window puts on its outage when QA has closed: exactly the approved cold patches
 * still pending, rehearsed in order (on staging or a copy of the schema), with the scripts and grants that
 * follow them, each by its SHA-256 ({@link SealedBundle}). The outage runs that and nothing else; an empty seal
 * means no outage. Workflow code: one activity call, and what it found said on the timeline.
 */
public final class Seal {
    /** Whether windows seal their bundles (version 1 of "sealed-bundle"); before it, outages ran their list. */
    public static boolean applies() {
        return Change.SEALED_BUNDLE.isOn();
    }

    private Seal() {}

    /**
     * Seals {@code approved} for {@code environment}; with {@code defer}, a patch that fails its rehearsal is
     * left out (the fast window's way), without, the rehearsal's failure fails the window before anything is
     * quiesced (the monthly's: it deploys exactly its merge or nothing). Failures are the activity's, typed.
     */
    public static SealedBundle seal(
            DatabaseActivities db,
            String environment,
            List<PatchCandidate> approved,
            boolean defer,
            Journal<?> journal) {
        SealedBundle bundle = db.sealBundle(environment, approved, defer);
        for (SealedBundle.Deferral d : bundle.deferred()) {
            journal.note(EventCode.BUNDLE_SEALED, "Deferred " + d.id() + ": " + d.reason() + ".");
        }
        Set<PatchId> sealed = Set.copyOf(bundle.ids());
        Set<PatchId> deferred =
                bundle.deferred().stream().map(SealedBundle.Deferral::id).collect(Collectors.toSet());
        List<PatchId> alreadyApplied = approved.stream()
                .map(PatchCandidate::id)
                .filter(id -> !sealed.contains(id) && !deferred.contains(id))
                .toList();
        if (!alreadyApplied.isEmpty()) {
            journal.note(
                    EventCode.BUNDLE_SEALED,
                    "Already applied by an earlier window, left out of the bundle: " + PatchId.join(alreadyApplied)
                            + ".");
        }
        journal.note(EventCode.BUNDLE_SEALED, said(bundle));
        return bundle;
    }

    /** The seal as people read it. */
    public static String said(SealedBundle b) {
        if (b.nothingToApply()) {
            return "Bundle sealed empty: nothing to apply, so no outage.";
        }
        return "Bundle sealed: " + PatchId.join(b.ids())
                + (b.scripts().isEmpty()
                        ? ""
                        : ", then "
                                + b.scripts().stream()
                                        .map(SealedBundle.SealedFile::file)
                                        .collect(Collectors.joining(", ")))
                + " (SHA-256 " + b.shortSha() + "); " + b.rehearsal() + ".";
    }
}
