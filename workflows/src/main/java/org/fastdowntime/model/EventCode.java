package org.fastdowntime.model;

/**
 * What a timeline event says, as data: tools and tests find an event by its code, never by its
 * wording. Events without one are notes for people.
 */
public enum EventCode {
    /** The preflight checks start. */
    PREFLIGHT_STARTED,
    /** The preflight passed. */
    PREFLIGHT_PASSED,
    /** The outage activity is started ahead of the window; it closes the gate at the window's start. */
    OUTAGE_ARMED,
    /** The outage activity is started and closes the gate at once (windows before armed outages). */
    OUTAGE_STARTED,
    /** The worker's clock and the window disagree: the gate closes on arrival. */
    CLOCK_SKEW,
    /** The gate is closed: the outage starts. */
    GATE_CLOSED,
    /** The other sessions are terminated. */
    SESSIONS_KICKED,
    /** A patch timed out waiting for a lock; the transaction is tried again. */
    LOCK_RETRY,
    /** A patch is applied (inside the outage's transaction). */
    PATCH_APPLIED,
    /**
     * What follows the patches in the same transaction: a repeatable script re-applied, grants on the
     * new objects.
     */
    FOLLOW_UP,
    /** The gate is open again: the outage is over. */
    GATE_OPENED,
    /** Standbys' WAL replay paused before the gate closed, or resumed (each standby catching up) after it opened. */
    REPLAY,
    /** A fleet member's transaction is prepared; its gate stays closed for the fleet's decision. */
    PREPARED,
    /** An atomic fleet's decision (COMMIT or ROLLBACK), recorded before it is carried out. */
    DECISION,
    /** The gate was reopened by the workflow's compensation. */
    GATE_REOPENED_BY_COMPENSATION,
    /** The window's bundle was sealed (and rehearsed) once QA closed. */
    BUNDLE_SEALED,
    /** Nothing of the bundle was left to apply at the outage: the gate was never closed. */
    NOTHING_TO_APPLY,
    /** What failed inside the outage, while the gate was closed. */
    OUTAGE_FAILED
}
