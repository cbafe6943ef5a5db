package org.fastdowntime.gate;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fastdowntime.model.ApplyReport;
import org.fastdowntime.model.EventCode;
import org.fastdowntime.model.OutageReport;
import org.fastdowntime.model.OutageRequest;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.TimelineEvent;
import org.fastdowntime.report.History;
import org.fastdowntime.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one outage tells of itself: its steps as they happen (for the timeline), its phases' stopwatch and the
 * kick's figures, the report built from them (completed, failed or with nothing to apply), and the window's row
 * in the history table.
 */
final class OutageAccount {
    static final ApplyReport NOTHING_APPLIED = new ApplyReport(List.of(), List.of(), 0, List.of());
    private static final Logger log = LoggerFactory.getLogger(Outage.class);

    private final OutageRequest request;
    private final PhaseStopwatch clock;
    private final Kick kick;
    private final List<TimelineEvent> steps = new ArrayList<>();

    OutageAccount(OutageRequest request, PhaseStopwatch clock, Kick kick) {
        this.request = request;
        this.clock = clock;
        this.kick = kick;
    }

    void step(EventCode code, String text) {
        steps.add(new TimelineEvent(Instant.now().truncatedTo(ChronoUnit.MILLIS), "OUTAGE", text, code));
    }

    /** Every patch of the bundle is recorded already (an earlier window applied it): no gate, no kick. */
    OutageReport nothingToApply(List<PatchId> alreadyApplied) {
        String why = alreadyApplied.isEmpty()
                ? "Nothing to apply: the bundle is empty; the gate was not closed."
                : "Nothing to apply: " + PatchId.join(alreadyApplied)
                        + " already applied (by an earlier window); the gate was not closed.";
        step(EventCode.NOTHING_TO_APPLY, why);
        log.info(why);
        return report("none", null, null, 0, NOTHING_APPLIED, null);
    }

    /** The gate is open again: "Outage complete.", and the report. */
    OutageReport completed(
            String gate,
            long closedNanos,
            Instant closedAt,
            ApplyReport applied,
            long openedNanos,
            Instant openedAt,
            String commitLsn) {
        Duration outage = Duration.ofNanos(openedNanos - closedNanos);
        step(
                EventCode.GATE_OPENED,
                String.format(
                        Locale.ROOT,
                        "Outage complete. %s (patches %.2f s). Gate open: connections restored.",
                        Clock.format(outage),
                        applied.patchSeconds()));
        log.info("Outage complete. {}", Clock.format(outage));
        return report(gate, closedAt, openedAt, outage.toMillis(), applied, commitLsn);
    }

    /**
     * An atomic fleet member's transaction is prepared: the gate stays closed for the fleet's decision; the report's
     * outage is the time from the gate closing to the transaction prepared, and it has no gate-opened time yet.
     */
    OutageReport prepared(String gate, long closedNanos, Instant closedAt, ApplyReport applied, String gid) {
        Duration held = Duration.ofNanos(System.nanoTime() - closedNanos);
        step(
                EventCode.PREPARED,
                String.format(
                        Locale.ROOT,
                        "Prepared as %s %s after the gate closed (patches %.2f s); the gate stays closed until the"
                                + " fleet decides.",
                        gid,
                        Clock.format(held),
                        applied.patchSeconds()));
        log.info("Prepared as {}; the gate stays closed until the fleet decides", gid);
        return report(gate + " (prepared)", closedAt, null, held.toMillis(), applied, null);
    }

    /** A patch engine failure as the window's failure; past the plan's time limit {@code limit}, OFF_TRACK. */
    static io.temporal.failure.ApplicationFailure asFailure(
            org.fastdowntime.patch.PatchEngineException e, Duration limit) {
        if (limit != null && org.fastdowntime.patch.SqlState.QUERY_CANCELED.equals(e.sqlState())) {
            return io.temporal.failure.ApplicationFailure.newNonRetryableFailure(
                    String.format(
                            Locale.ROOT,
                            "%s: the outage ran past the limit its plan allows (%.1f s: the estimate"
                                    + " and the off-track limit) and was rolled back",
                            e.getMessage(),
                            limit.toMillis() / 1000.0),
                    org.fastdowntime.model.FailureType.OFF_TRACK.name());
        }
        return e.toFailure();
    }

    /**
     * The outage failed once its gate had closed: what failed, whether the window had committed (then
     * "applied and committed, then: …", never "rolled back"), and the gate reopened if it was.
     */
    OutageReport failed(
            String gate,
            long closedNanos,
            Instant closedAt,
            String what,
            ApplyReport committed,
            long openedNanos,
            Instant openedAt,
            String commitLsn) {
        step(
                EventCode.OUTAGE_FAILED,
                committed != null
                        ? "Applied and committed, then: " + what + "."
                        : "Outage failed: " + what + "; rolled back, nothing was changed.");
        Duration outage = Duration.ofNanos((openedAt == null ? System.nanoTime() : openedNanos) - closedNanos);
        if (openedAt != null) {
            step(
                    EventCode.GATE_OPENED,
                    "Outage over. " + Clock.format(outage) + (committed != null ? " (applied)" : " (rolled back)")
                            + ". Gate open: connections restored.");
        }
        return report(
                gate,
                closedAt,
                openedAt,
                openedAt == null ? 0 : outage.toMillis(),
                committed != null ? committed : NOTHING_APPLIED,
                commitLsn);
    }

    /** The report of this outage as it stands, with its steps and phases so far. */
    private OutageReport report(
            String gate, Instant closedAt, Instant openedAt, long outageMillis, ApplyReport applied, String lsn) {
        return new OutageReport(
                gate,
                closedAt,
                openedAt,
                outageMillis,
                applied.patchSeconds(),
                applied.applied(),
                kick.terminated(),
                kick.rounds(),
                List.copyOf(steps),
                clock.millis(),
                clock.startedAt(),
                lsn,
                List.of());
    }

    /** The primary's WAL position after the window's COMMIT, which standbys must replay; null if nothing committed. */
    static String commitLsn(Connection c, ApplyReport applied) {
        if (applied == null
                || applied.applied().isEmpty() && applied.followUps().isEmpty()) {
            return null;
        }
        return currentLsn(c);
    }

    /** The primary's WAL position now (on a connection whose transaction, if any, is over); null if unreadable. */
    static String currentLsn(Connection c) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT pg_current_wal_lsn()::text")) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            log.warn("Could not read the primary's WAL position: {}", e.getMessage());
            return null;
        }
    }

    /** The window's row in the history table, right after the gate reopened. */
    void record(Connection c, OutageReport report, Instant closedAt, String outcome, String note) {
        try {
            if (c.isClosed()) {
                return;
            }
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            c.setAutoCommit(true);
            History.recordWindow(
                    c,
                    request.deploymentId(),
                    request.notBefore() == null ? closedAt : request.notBefore(),
                    report,
                    outcome,
                    note);
        } catch (SQLException e) {
            // The patches are in; the report will lack this window's outage row, which is all that is lost.
            log.warn("Could not record the outage in {}: {}", History.WINDOWS, e.getMessage());
        }
    }
}
