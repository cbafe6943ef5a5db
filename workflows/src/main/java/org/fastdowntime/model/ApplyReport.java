package org.fastdowntime.model;

import java.util.List;

/**
 * What an apply did: the patches applied (in order, with their times) and those skipped because
 * they were already recorded when the applying transaction looked.
 */
public record ApplyReport(List<AppliedPatch> applied, List<PatchId> alreadyApplied, double patchSeconds) {}
