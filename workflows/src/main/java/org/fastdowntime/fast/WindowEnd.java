package org.fastdowntime.fast;

import static org.fastdowntime.model.FastStage.ABORTED;
import static org.fastdowntime.model.FastStage.FAILED;
import static org.fastdowntime.model.FastStage.SKIPPED;

import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.List;
import org.fastdowntime.downtime.Change;
import org.fastdowntime.downtime.Ending;
import org.fastdowntime.downtime.Endings;
import org.fastdowntime.downtime.Journal;
import org.fastdowntime.model.AbortSignal;
import org.fastdowntime.model.FastDowntimeResult;
import org.fastdowntime.model.FastStage;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.ports.WindowActivities;

/**
 * How a fast window ends short of its outage: skipped (nothing to do), aborted by a person, failed early, or
 * cancelled — each recorded once ({@link Ending}), on the timeline and announced, with background jobs resumed if
 * the window had quiesced them. Workflow code.
 */
final class WindowEnd {
    private final Journal<FastStage> journal;
    private final Ending ending;
    private final Endings<FastStage> endings;
    private final QaGate qa;
    private final WindowAnnouncements announce;
    private final WindowActivities window;
    private final String environment;
    private boolean quiesced;

    WindowEnd(
            Journal<FastStage> journal,
            Ending ending,
            QaGate qa,
            WindowAnnouncements announce,
            WindowActivities window,
            String environment) {
        this.journal = journal;
        this.ending = ending;
        this.endings = new Endings<>(journal, ending, FAILED, ABORTED, FastStage.CANCELLED, FastStage.OUTAGE);
        this.qa = qa;
        this.announce = announce;
        this.window = window;
        this.environment = environment;
    }

    /** Background jobs were quiesced: any ending from now on resumes them. */
    void quiesced() {
        quiesced = true;
    }

    FastDowntimeResult skip(String why, List<PatchId> deferred) {
        return skip(why, List.of(), deferred);
    }

    /** The outage is skipped; {@code applied}: what was applied without one (approved LIVE patches). */
    FastDowntimeResult skip(String why, List<PatchId> applied, List<PatchId> deferred) {
        ending.ended(why);
        journal.end(SKIPPED, why);
        announce.skipped(why);
        Workflow.await(Workflow::isEveryHandlerFinished);
        return FastDowntimeResult.skipped(why, applied, deferred);
    }

    /** A person's abort before the outage: nothing was changed. */
    ApplicationFailure aborted() {
        AbortSignal abort = qa.abort();
        ApplicationFailure failure = endings.aborted(
                String.format("Aborted by %s before the outage: %s. Nothing was changed.", abort.by(), abort.reason()));
        if (quiesced) {
            journal.hooks("Resume", () -> window.resume(environment));
        }
        announce.aborted(ending.message());
        return failure;
    }

    /** A failure before the candidates were judged: signals still waiting are told why they were not. */
    ApplicationFailure failEarly(String type, String why) {
        ApplicationFailure failure = endings.failed(type, why);
        qa.closeUnjudged("the window ended before it could judge signals (" + why + ")");
        return failure;
    }

    /**
     * The workflow was cancelled (any gate was already reopened by the outage's compensation): background jobs
     * resume, and it is recorded and announced (change "cancel-cleanup").
     */
    void cancelled() {
        if (!Change.CANCEL_CLEANUP.isOn()) {
            return;
        }
        if (quiesced) {
            journal.hooks("Resume", () -> window.resume(environment));
        }
        String why = endings.cancelled(
                quiesced ? List.of("background jobs were resumed") : List.of(),
                () -> qa.closeUnjudged("the window was cancelled"));
        announce.cancelled(why);
    }
}
