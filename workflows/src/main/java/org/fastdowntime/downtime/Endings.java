package org.fastdowntime.downtime;

import io.temporal.failure.ApplicationFailure;
import java.util.List;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.Stage;

/**
 * How every downtime ends short of success, said the same way by fast and monthly windows: failed ("TYPE: why"),
 * aborted by a person, or cancelled ("Cancelled at STAGE; what was undone."), each recorded once ({@link Ending})
 * as the timeline's last event and stage. What each workflow undoes and announces around it stays its own.
 */
public final class Endings<S extends Enum<S> & Stage> {
    private final Journal<S> journal;
    private final Ending ending;
    private final S failed;
    private final S aborted;
    private final S cancelled;
    private final S outage;

    /**
     * @param failed the workflow's stage for each ending: failed, aborted, cancelled
     * @param outage its outage stage (a cancel there says the outage was rolled back)
     */
    public Endings(Journal<S> journal, Ending ending, S failed, S aborted, S cancelled, S outage) {
        this.journal = journal;
        this.ending = ending;
        this.failed = failed;
        this.aborted = aborted;
        this.cancelled = cancelled;
        this.outage = outage;
    }

    /** The downtime failed: what it throws. */
    public ApplicationFailure failed(String type, String why) {
        ApplicationFailure failure = ending.fail(type, why);
        journal.end(failed, type + ": " + why);
        return failure;
    }

    /** A person aborted it before anything changed: what it throws. */
    public ApplicationFailure aborted(String message) {
        ApplicationFailure failure = ending.fail(FailureType.ABORTED, message);
        journal.end(aborted, message);
        return failure;
    }

    /**
     * The workflow was cancelled at its current stage; {@code undone} says what was put back (services resumed,
     * RC mode off), {@code closeSignals} tells signals still waiting why they will not be judged. Returns why.
     */
    public String cancelled(List<String> undone, Runnable closeSignals) {
        S at = journal.stage();
        String why = "Cancelled at " + at + (undone.isEmpty() ? "" : "; " + String.join(" and ", undone)) + "."
                + (at == outage ? " The outage was rolled back and the gate reopened." : "");
        ending.ended(why);
        closeSignals.run();
        journal.end(cancelled, why);
        return why;
    }
}
