package org.fastdowntime.model;

/** Why a window did not complete; the ApplicationFailure type a failed workflow ends with. */
public enum FailureType {
    BAD_INPUT,
    UNKNOWN_ENVIRONMENT,
    WINDOW_BUSY,
    PLAN_INVALID,
    STAGING_MISMATCH,
    PREFLIGHT_FAILED,
    FRAGILE_USER_BUSY,
    KICK_FAILED,
    GATE_FAILED,
    DEPLOY_LOCK_BUSY,
    PATCH_CHANGED,
    PATCH_FAILED,
    LOCK_TIMEOUT,
    DATABASE_UNREACHABLE,
    OUTAGE_LOST,
    ABORTED,
    OFF_TRACK,
    WINDOW_NOT_CONFIRMED,
    CI_NOT_BLESSED,
    QASTAGING_NOT_OK,
    NOTHING_TO_MERGE,
    CANCELLED,
    POST_CHECK_FAILED,
    /** A fleet member's prepared transaction, decided COMMIT, was neither there nor committed. */
    PREPARED_LOST,
    /** A failure of a type this project does not name (an unexpected exception); its message says what. */
    UNEXPECTED;

    /** The type an {@code ApplicationFailure} carries, or {@link #UNEXPECTED} for one that is not ours. */
    public static FailureType named(String type) {
        for (FailureType t : values()) {
            if (t.name().equals(type)) {
                return t;
            }
        }
        return UNEXPECTED;
    }

    /** The failure a window ends with when the patch engine reports {@code problem}. */
    public static FailureType of(ProblemType problem) {
        return switch (problem) {
            case DEPLOY_LOCK_BUSY -> DEPLOY_LOCK_BUSY;
            case DATABASE_UNREACHABLE -> DATABASE_UNREACHABLE;
            case PATCH_FAILED, REVISION_NOT_RECORDED -> PATCH_FAILED;
            case BAD_ARGUMENTS -> BAD_INPUT;
            default -> PLAN_INVALID;
        };
    }
}
