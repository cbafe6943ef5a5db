package org.fastdowntime.model;

import java.time.Instant;
import java.util.List;

/** The {@code status} query of a FastDowntime window. */
public record FastDowntimeStatus(
        String environment,
        String stage,
        Instant windowStart,
        Instant qaDeadline,
        List<PatchQaStatus> patches,
        List<SignalRecord> signals,
        List<TimelineEvent> timeline,
        OutageReport outage,
        String failureType,
        String message) {}
