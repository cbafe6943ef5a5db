package org.fastdowntime.downtime;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import org.fastdowntime.model.FailureType;

/** Reads a failure type and a person-readable message out of Temporal's failure chain. */
public final class WindowFailures {
    private WindowFailures() {}

    public record Reason(String type, String message) {}

    public static Reason of(Throwable t) {
        Throwable cause = t instanceof ActivityFailure || t instanceof io.temporal.failure.ChildWorkflowFailure
                ? t.getCause()
                : t;
        if (cause instanceof ApplicationFailure af) {
            return new Reason(af.getType(), af.getOriginalMessage());
        }
        if (cause instanceof TimeoutFailure tf) {
            return new Reason(
                    FailureType.OUTAGE_LOST.name(),
                    "the worker running the step stopped responding (" + tf.getTimeoutType() + ")");
        }
        if (cause instanceof CanceledFailure) {
            return new Reason(FailureType.CANCELLED.name(), "cancelled");
        }
        return new Reason(FailureType.OUTAGE_LOST.name(), String.valueOf(cause == null ? t : cause.getMessage()));
    }

    public static ApplicationFailure fail(String type, String message) {
        return ApplicationFailure.newNonRetryableFailure(message, type);
    }

    public static ApplicationFailure fail(FailureType type, String message) {
        return fail(type.name(), message);
    }
}
