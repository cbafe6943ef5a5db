package org.fastdowntime.model;

import java.util.List;

/**
 * A staging timing run: every pending cold patch applied in one transaction, timed, then rolled
 * back.
 *
 * <p>Estimates follow the process's rules: monthly production time = 2 × staging aggregate + 10
 * minutes, which must fit the 90-minute window; a fast window's patches = 2 × staging aggregate,
 * against the 5-minute outage budget.
 */
public record TimingReport(
        String database,
        List<PatchTiming> patches,
        double aggregateSeconds,
        double perPatchBudgetSeconds,
        double monthlyEstimateSeconds,
        double monthlyWindowSeconds,
        boolean fitsMonthlyWindow,
        double fastEstimateSeconds,
        double fastBudgetSeconds,
        boolean fitsFastWindow) {}
