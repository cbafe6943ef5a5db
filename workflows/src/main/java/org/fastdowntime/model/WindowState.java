package org.fastdowntime.model;

/** Where a calendar window stands, in flow order; every window ends in one of the later states. */
public enum WindowState {
    /** In the calendar, not opened yet. */
    SCHEDULED,
    /** Its time came and it was dealt with (shown while its outcome is not known). */
    HANDLED,
    /** Its downtime workflow runs. */
    STARTED,
    /** Its downtime completed. */
    COMPLETED,
    /** Its fast downtime ran and was skipped (nothing approved in time). */
    SKIPPED,
    /** Its monthly downtime found nothing QA-ok to merge. */
    NOTHING_TO_MERGE,
    /** No pending cold patch when it came: nothing was started. */
    NOTHING_TO_DEPLOY,
    /** The calendar was paused when it came. */
    PAUSED,
    /** It fell on a blackout date. */
    BLACKED_OUT,
    /** Its time passed while no worker ran. */
    MISSED,
    /** Cancelled by a person. */
    CANCELLED,
    /** It could not be started, or its downtime failed. */
    FAILED;

    /** The state a window's downtime ended in. */
    public static WindowState of(Outcome outcome) {
        return valueOf(outcome.name());
    }
}
