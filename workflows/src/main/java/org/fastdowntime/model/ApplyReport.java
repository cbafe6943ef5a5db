package org.fastdowntime.model;

import java.util.List;

/**
 * What an apply did: the patches applied (in order, with their times), those skipped because they
 * were already recorded when the applying transaction looked, and what followed them in the same
 * transaction (repeatable scripts re-applied, grants on new objects), said for people.
 */
public record ApplyReport(
        List<AppliedPatch> applied, List<PatchId> alreadyApplied, double patchSeconds, List<String> followUps) {
    public ApplyReport {
        followUps = followUps == null ? List.of() : List.copyOf(followUps);
    }

    public ApplyReport(List<AppliedPatch> applied, List<PatchId> alreadyApplied, double patchSeconds) {
        this(applied, alreadyApplied, patchSeconds, List.of());
    }
}
