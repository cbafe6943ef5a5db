package org.fastdowntime.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What an outage did and how long it took. {@code outageMillis} is measured from gate closed to
 * gate open; {@code patchSeconds} is the patches' own execution time, so the difference is the
 * orchestration overhead; {@code phaseMillis} says where the time went (connect, check files, prepare
 * gate, close gate, check fragile users, kick, apply, open gate), in order, and {@code phaseStartedAt}
 * when each of those phases started, on the worker's clock (absent in reports recorded before it);
 * {@code commitLsn} the primary's WAL position after the window's COMMIT (null when nothing was
 * committed, or in reports recorded before it), which standbys must replay; {@code standbys} how
 * each caught up with it after the gate opened.
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
        Map<String, Instant> phaseStartedAt,
        String commitLsn,
        List<StandbyCatchUp> standbys) {
    public OutageReport {
        standbys = standbys == null ? List.of() : List.copyOf(standbys);
    }

    /** The same report with how each standby caught up with the window's commit. */
    public OutageReport withStandbys(List<StandbyCatchUp> caughtUp) {
        return new OutageReport(
                gate,
                gateClosedAt,
                gateOpenedAt,
                outageMillis,
                patchSeconds,
                applied,
                sessionsKicked,
                kickRounds,
                steps,
                phaseMillis,
                phaseStartedAt,
                commitLsn,
                caughtUp);
    }
}
