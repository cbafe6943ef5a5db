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
    POST_CHECK_FAILED;

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
