package org.fastdowntime.model;

import java.time.Instant;
import java.util.List;

/** The {@code status} query of a FastDowntime window. */
public record FastDowntimeStatus(
        String environment,
        FastStage stage,
        Instant windowStart,
        Instant qaDeadline,
        List<PatchQaStatus> patches,
        List<SignalRecord> signals,
        List<TimelineEvent> timeline,
        OutageReport outage,
        FailureType failureType,
        String message,
        List<String> warnings,
        String preflightAfter,
        SealedBundle bundle) {
    /**
     * @param warnings what people need to know of the window: what its start took from its safety leads (short
     *     notice), a standby left behind after it (running primary-only)
     * @param preflightAfter the preflight run again after the window: what passed, or why it failed
     * @param bundle what the outage runs, sealed when QA closed (null before that)
     */
    public FastDowntimeStatus {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
