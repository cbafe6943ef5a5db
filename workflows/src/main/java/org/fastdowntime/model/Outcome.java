package org.fastdowntime.model;

/** How a downtime workflow ended, as its result says. */
public enum Outcome {
    /** The window ran and its patches are applied. */
    COMPLETED,
    /** The fast window did not run: nothing to deploy, or nothing approved in time. */
    SKIPPED,
    /** The monthly downtime was not needed: nothing QA-ok to merge. */
    NOTHING_TO_MERGE
}
