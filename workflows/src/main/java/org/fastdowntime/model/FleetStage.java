package org.fastdowntime.model;

/** Where a fleet window is, as its status and the {@code DowntimeStage} search attribute say. */
public enum FleetStage implements Stage {
    /** Resolving the fleet's members and what each has pending. */
    STARTING,
    /** Waiting for the fleet's QA in the approval ledger of its environment. */
    AWAITING_QA,
    /** The approved patches are sealed into one bundle and rehearsed once on the fleet's staging. */
    SEALING,
    /** Sealed; waiting for the window (background jobs are quiesced once, ahead of it). */
    WAITING_FOR_WINDOW,
    /** Every member's preflight, with bounded parallelism. */
    PREFLIGHT,
    /** The members' outages: the canary, then waves; or, atomic, every member preparing. */
    OUTAGES,
    /** Atomic: every member prepared (or one did not); the decision is recorded and carried out on each member. */
    DECIDING,
    /** Every member that had something to apply committed it. */
    DONE,
    /** Waves: some members committed, others failed or were not started; the status names each. */
    PARTIAL,
    /** Nothing to deploy, or nothing approved in time: no gate closed. */
    SKIPPED,
    /** No member committed anything (atomic: every member rolled back). */
    FAILED,
    /** A person aborted the window: no member that had not committed changed. */
    ABORTED,
    /** The workflow was cancelled. */
    CANCELLED;

    @Override
    public boolean terminal() {
        return this == DONE
                || this == PARTIAL
                || this == SKIPPED
                || this == FAILED
                || this == ABORTED
                || this == CANCELLED;
    }
}
