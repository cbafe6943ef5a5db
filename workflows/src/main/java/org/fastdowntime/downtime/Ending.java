package org.fastdowntime.downtime;

import io.temporal.failure.ApplicationFailure;
import org.fastdowntime.model.FailureType;

/**
 * How a downtime workflow ended, recorded once: a failure type (null on success) and a message a
 * person can act on, as the status shows them.
 */
public final class Ending {
    private String failureType;
    private String message;

    /** Records the failure and returns what the workflow throws. */
    public ApplicationFailure fail(String type, String why) {
        failureType = type;
        message = why;
        return WindowFailures.fail(type, why);
    }

    public ApplicationFailure fail(FailureType type, String why) {
        return fail(type.name(), why);
    }

    /** Records a failure that is rethrown as it came (from the outage core). */
    public void failed(ApplicationFailure e) {
        failureType = e.getType();
        message = e.getOriginalMessage();
    }

    /** Records how a window that did not fail ended. */
    public void ended(String why) {
        message = why;
    }

    /** The failure's type, as the status shows it (null on success). */
    public FailureType failureType() {
        return failureType == null ? null : FailureType.named(failureType);
    }

    public String message() {
        return message;
    }
}
