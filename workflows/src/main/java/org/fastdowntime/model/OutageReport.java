package org.fastdowntime.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What an outage did and how long it took. {@code outageMillis} is measured from gate closed to
 * gate open; {@code patchSeconds} is the patches' own execution time, so the difference is the
 * orchestration overhead; {@code phaseMillis} says where the time went (connect, check files, prepare
 * gate, close gate, check fragile users, kick, apply, open gate), in order, and {@code phaseStartedAt}
 * when each of those phases started, on the worker's clock (absent in reports recorded before it).
 */
public record OutageReport(
        String gate,
        Instant gateClosedAt,
        Instant gateOpenedAt,
        long outageMillis,
        double patchSeconds,
        List<AppliedPatch> applied,
        int sessionsKicked,
        int kickRounds,
        List<TimelineEvent> steps,
        Map<String, Long> phaseMillis,
        Map<String, Instant> phaseStartedAt) {}
