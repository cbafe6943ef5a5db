package org.fastdowntime.patch;

import org.fastdowntime.model.ProblemType;

/**
 * A failure of the engine that retrying the same call cannot fix by itself; keeps the SQLSTATE when
 * there is one.
 */
public final class PatchEngineException extends Exception {
    private final ProblemType type;
    private final String sqlState;

    public PatchEngineException(ProblemType type, String message, String sqlState, Throwable cause) {
        super(message, cause);
        this.type = type;
        this.sqlState = sqlState;
    }

    public PatchEngineException(ProblemType type, String message) {
        this(type, message, null, null);
    }

    public ProblemType type() {
        return type;
    }

    public String sqlState() {
        return sqlState;
    }

    /**
     * As an activity failure: a lost database is retried, everything else fails the step with its
     * failure type and keeps the SQLSTATE in the message.
     */
    public io.temporal.failure.ApplicationFailure toFailure() {
        org.fastdowntime.model.FailureType t = org.fastdowntime.model.FailureType.of(type);
        String message = getMessage() + (sqlState == null ? "" : " [SQLSTATE " + sqlState + "]");
        return t == org.fastdowntime.model.FailureType.DATABASE_UNREACHABLE
                ? io.temporal.failure.ApplicationFailure.newFailure(message, t.name())
                : io.temporal.failure.ApplicationFailure.newNonRetryableFailure(message, t.name());
    }
}
