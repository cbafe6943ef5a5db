package org.fastdowntime.downtime;

import io.temporal.workflow.Workflow;

/**
 * Every change made to the workflows' code while executions of the older code may still be running: one
 * {@link Workflow#getVersion} id each, version 1 being the change. A workflow asks {@link #isOn()} where the old
 * and new code part; executions that passed that point before the change replay the old branch. A test ties each
 * id to a stored history that records it; the old code stays only where a stored history still takes it.
 */
public enum Change {
    /** A QA verdict of "bad" carries its reason. */
    QABAD_REASON("qabad-reason", OldCode.REMOVED),
    /** QA signals take lists of patches. */
    QA_LISTS("qa-lists", OldCode.REMOVED),
    /** A cancelled fast window resumes services, reopens the gate and says so. */
    CANCEL_CLEANUP("cancel-cleanup", OldCode.KEPT),
    /** LIVE patches are approved and applied without an outage. */
    LIVE_QA("live-qa", OldCode.KEPT),
    /** A window starting now gives short leads instead of the announcement budgets. */
    NOW_LEADS("now-leads", OldCode.KEPT),
    /** Staging's rehearsal is judged by its total against the outage budget. */
    STAGING_TOTAL("staging-total", OldCode.REMOVED),
    /** Preflight before the window and an armed outage that closes the gate on time at T. */
    ARMED_OUTAGE("armed-outage", OldCode.KEPT),
    /** Announcements are sent in the background, not awaited by the window. */
    ASYNC_ANNOUNCEMENTS("async-announcements", OldCode.KEPT),
    /** A window lost after COMMIT says its patches are applied and still runs its post-checks. */
    LOST_AFTER_COMMIT("lost-after-commit", OldCode.REMOVED),
    /** Standbys are awaited after the outage until they replayed its commit. */
    STANDBY_CATCH_UP("standby-catch-up", OldCode.REMOVED),
    /** Windows seal their bundle before the outage; the outage runs the seal and nothing else. */
    SEALED_BUNDLE("sealed-bundle", OldCode.KEPT),
    /** A connection lost around COMMIT or a failed gate is asked of the database: what committed is applied. */
    ASK_WHAT_COMMITTED("ask-what-committed", OldCode.REMOVED),
    /** A worker lost after COMMIT leaves the patches applied: say so instead of "rolled back". */
    LOST_OUTAGE_CHECK("lost-outage-check", OldCode.REMOVED),
    /** One fast window per environment at a time. */
    ONE_WINDOW("one-window", OldCode.KEPT),
    /** A monthly outage holds its environment like a fast window. */
    MONTHLY_ONE_WINDOW("monthly-one-window", OldCode.KEPT),
    /** The monthly outage runs on its plan's clock (estimate + off-track limit), not the fast window's budgets. */
    MONTHLY_CLOCK("monthly-clock", OldCode.KEPT),
    /** A monthly deploys exactly its merge's patches, by their checksums in the merge's tree. */
    MERGED_EXACTLY("merged-exactly", OldCode.KEPT),
    /** A revision's author's own QA-ok does not count. */
    AUTHOR_QA("author-qa", OldCode.REMOVED),
    /** A cancelled monthly resumes services, leaves RC mode and says so. */
    MONTHLY_CANCEL_CLEANUP("monthly-cancel-cleanup", OldCode.REMOVED),
    /** The end of RC mode is announced like its start. */
    RC_OFF_ANNOUNCED("rc-off-announced", OldCode.KEPT),
    /**
     * QA's edges: a rejected patch stays rejected (a later qaOk is refused), QA-ok and sign-off need two people,
     * and a signal names at most 200 patches.
     */
    QA_EDGES("qa-edges", OldCode.KEPT),
    /** A LIVE patch's activity heartbeats and is tried once: a dead worker is noticed in seconds. */
    LIVE_HEARTBEAT("live-heartbeat", OldCode.KEPT),
    /**
     * A window counts the verdicts of its environment's approval ledger (given before it, or to the ledger while it
     * waits) and records there the words given to it.
     */
    APPROVAL_LEDGER("approval-ledger", OldCode.KEPT),
    /** A calendar continues as new only when none of the windows it started is running, so their ends are kept. */
    CALENDAR_IDLE_CONTINUE("calendar-idle-continue", OldCode.KEPT),
    /** After a window's commit its staging is brought up with what it applied, so the next window can time there. */
    STAGING_FOLLOWS("staging-follows", OldCode.KEPT),
    /** A downtime records its environment and how it ended as search attributes, so lists tell outcomes apart. */
    OUTCOME_ATTRIBUTES("outcome-attributes", OldCode.KEPT);

    /** Whether the code from before a change is still there. */
    enum OldCode {
        /** A stored history still takes the old branch. */
        KEPT,
        /** No stored history takes it any more: removed. */
        REMOVED
    }

    private final String id;
    /**
     * Whether the code from before the change is gone: no stored history still takes it. Such a change is always
     * on; asking still records its marker (so histories match), and replaying an execution that took the old
     * branch fails loudly instead of running code that is no longer there.
     */
    private final boolean oldCodeRemoved;

    Change(String id, OldCode oldCode) {
        this.id = id;
        this.oldCodeRemoved = oldCode == OldCode.REMOVED;
    }

    /** The {@link Workflow#getVersion} change id, as stored in histories' markers. */
    public String id() {
        return id;
    }

    /** Whether this execution runs the change (records it the first time it is asked). Workflow code only. */
    public boolean isOn() {
        int oldest = oldCodeRemoved ? 1 : Workflow.DEFAULT_VERSION;
        return Workflow.getVersion(id, oldest, 1) != Workflow.DEFAULT_VERSION;
    }

    /**
     * Records that this execution runs a change whose old code is removed, where nothing depends on the answer
     * any more.
     */
    public void record() {
        if (!oldCodeRemoved) {
            throw new IllegalStateException(id + " still has its old code: ask isOn()");
        }
        isOn();
    }
}
