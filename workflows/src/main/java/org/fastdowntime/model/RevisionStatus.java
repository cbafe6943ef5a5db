package org.fastdowntime.model;

/**
 * A revision as the monthly status shows it: QA state (NOT_NEEDED, WAITING, OK), whether the merge
 * took it, and why not (no QA-ok, after a revision without QA-ok, over budget).
 */
public record RevisionStatus(RevisionInfo revision, String qa, String qaBy, boolean merged, String excludedBecause) {}
