package org.fastdowntime.model;

/** Where a candidate patch stands in the QA gate. */
public enum QaState {
    /** Waiting for a QA-ok (and a sign-off if it is over the per-patch budget). */
    WAITING,
    /** QA-ok given but over budget: waiting for a sign-off. */
    NEEDS_SIGN_OFF,
    APPROVED,
    REJECTED,
    /** Not approved by the QA deadline: left out of this window. */
    DEFERRED,
    APPLIED
}
