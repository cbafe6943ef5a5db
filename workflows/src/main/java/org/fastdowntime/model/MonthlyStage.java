package org.fastdowntime.model;

/** The stages of a MonthlyDowntime, in flow order. */
public enum MonthlyStage implements Stage {
    /** The request is checked and the monthly policy loaded. */
    STARTING,
    /** Every party confirms the main and backup windows, or proposes others. */
    CONFIRMING,
    /** The windows are confirmed; waiting for the QA-ok merge (48 h before). */
    WAITING_FOR_MERGE,
    /** Choosing the QA-ok prefix of db-stable that fits the budget, and merging it. */
    MERGING,
    /** Merged into devel; RC mode is on. */
    RC_MODE,
    /** Waiting for CI to bless the merge. */
    AWAITING_CI,
    /** qastaging is upgraded for real. */
    UPGRADING_QASTAGING,
    /** Waiting for QA's re-QA of qastaging. */
    AWAITING_QASTAGING,
    /** RC mode is off; waiting for the window (and its reminder). */
    SCHEDULED,
    /** Services are paused ahead of the window. */
    SERVICES_PAUSED,
    /** The preflight checks run. */
    PREFLIGHT,
    /** The timed outage. */
    OUTAGE,
    /** Aborted or off track: moved to the backup window (or the first with enough notice). */
    RESCHEDULED,
    /** The post-rollout checks run. */
    POST_CHECKS,
    /** Rolled out; incidents may still be reported during the watch. */
    WATCHING,
    /** Rolled out and watched, or nothing needed merging. */
    DONE,
    /** The downtime failed or was called off; its patches are still pending. */
    FAILED,
    /** A lead aborted the downtime before its window. */
    ABORTED,
    /** The workflow was cancelled (UI, CLI or its calendar); services resumed and RC mode left. */
    CANCELLED;

    @Override
    public boolean terminal() {
        return this == DONE || this == FAILED || this == ABORTED || this == CANCELLED;
    }
}
