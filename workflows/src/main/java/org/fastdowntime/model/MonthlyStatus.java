package org.fastdowntime.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The {@code status} query of a MonthlyDowntime. */
public record MonthlyStatus(
        String environment,
        MonthlyStage stage,
        Instant main,
        Instant backup,
        Map<String, String> confirmations,
        List<RevisionStatus> revisions,
        String mergedRevision,
        Budget budget,
        boolean rcMode,
        Map<String, String> cowboys,
        List<String> incidents,
        List<SignalRecord> signals,
        List<TimelineEvent> timeline,
        OutageReport outage,
        FailureType failureType,
        String message,
        List<String> warnings,
        String preflightAfter) {

    public MonthlyStatus {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** Staging aggregate and the production estimate (2 × staging + overhead) against the window. */
    public record Budget(double stagingSeconds, double estimateSeconds, double windowSeconds, List<String> dropped) {}
}
