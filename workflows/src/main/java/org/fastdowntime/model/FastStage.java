package org.fastdowntime.model;

/** The stages of a FastDowntime, in flow order. */
public enum FastStage implements Stage {
    /** The request is checked and the environment's policy and patches are resolved. */
    STARTING,
    /** Pending LIVE patches run one by one, outside any outage. */
    APPLYING_LIVE,
    /** The candidates are timed on staging (applied, timed, rolled back). */
    TIMING,
    /** QA engineers approve or reject each candidate until the QA deadline. */
    AWAITING_QA,
    /**
     * QA is done: the outage's bundle is sealed, the approved cold patches rehearsed in order (on staging or a
     * copy of the schema) and fixed by their SHA-256; nothing is quiesced yet.
     */
    SEALING,
    /** QA is done; waiting for the quiesce lead before the window. */
    WAITING_FOR_WINDOW,
    /** Background jobs are quiesced and the window announced. */
    QUIESCED,
    /** The preflight checks run: who may be kicked, fragile users, long transactions, standbys. */
    PREFLIGHT,
    /** The outage: gate closed, sessions kicked, patches applied in one transaction, gate open. */
    OUTAGE,
    /** Connections are back; the post-checks run. */
    POST_CHECKS,
    /** Every approved patch is applied and the checks passed. */
    DONE,
    /** Nothing to deploy, or nothing was approved in time: the window did not run. */
    SKIPPED,
    /** The window failed; its patches are still pending. */
    FAILED,
    /** A person aborted the window; nothing was changed. */
    ABORTED,
    /** The workflow was cancelled (UI, CLI or its calendar); background jobs were resumed. */
    CANCELLED;

    @Override
    public boolean terminal() {
        return this == DONE || this == SKIPPED || this == FAILED || this == ABORTED || this == CANCELLED;
    }
}
