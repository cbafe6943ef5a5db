package org.fastdowntime.gate;

import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.env.Environments;
import org.fastdowntime.gate.BeforeTheGate.Approved;
import org.fastdowntime.model.ApplyReport;
import org.fastdowntime.model.Deployment;
import org.fastdowntime.model.EventCode;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.OutageReport;
import org.fastdowntime.model.OutageRequest;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.model.TimelineEvent;
import org.fastdowntime.patch.PatchEngine;
import org.fastdowntime.patch.PatchEngineException;
import org.fastdowntime.patch.PatchFolder;
import org.fastdowntime.patch.SqlState;
import org.fastdowntime.report.History;
import org.fastdowntime.time.Clock;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One outage, in Launchpad's order: open the patcher's connection (before anything is closed),
 * check the approved files are the approved versions, close the gate ("Outage starts."), re-check
 * fragile users and, in the same statement, terminate every other non-system session, apply the
 * patches in one transaction, reopen the gate ("Outage complete. 00:00:00.42") — the native gate
 * with that transaction's COMMIT. Otherwise the gate is reopened in a {@code finally}: this code
 * never leaves it closed; if the process dies, the workflow's compensation does it. A lock timeout
 * rolls back and kicks again, until every terminated session is gone (every 0.1 s, up to 100 times).
 */
public final class Outage {
    /** Retries of a patch that timed out waiting for a lock, 250 ms, 500 ms then 1 s apart. */
    static final int LOCK_RETRIES = 3;

    private static final Logger log = LoggerFactory.getLogger(Outage.class);
    private static final ApplyReport NOTHING_APPLIED = new ApplyReport(List.of(), List.of(), 0, List.of());

    private final EnvironmentSettings env;
    private final OutageRequest request;
    private final List<TimelineEvent> steps = new ArrayList<>();
    private final Map<String, Long> phases = new LinkedHashMap<>();
    private final Map<String, Instant> phaseStarts = new LinkedHashMap<>();
    private long phaseStart = System.nanoTime();
    private Instant phaseStartedAt = Instant.now();
    private volatile Connection patcher;
    /** Whether the gate opens with the patcher's transaction (asked just before COMMIT). */
    private boolean opensWithCommit;
    /** Set when the patcher's COMMIT opened the gate, with the moment it returned. */
    private boolean openedByCommit;
    /** Set once the window's transaction committed: from then on a failure is never "rolled back". */
    private boolean committed;
    /** What the window committed, once it did. */
    private ApplyReport applied;
    /** Sessions terminated so far. */
    private int kicked;

    private long openedNanos;
    private Instant openedAt;

    public Outage(EnvironmentSettings env, OutageRequest request) {
        this.env = env;
        this.request = request;
    }

    /**
     * The application_name of every session working for one deployment, so compensation can find
     * stragglers.
     */
    public static String applicationName(String deploymentId) {
        String name = "fastdowntime:" + deploymentId;
        if (name.getBytes(StandardCharsets.UTF_8).length <= 63) {
            return name;
        }
        return "fastdowntime:"
                + PatchFolder.sha256(deploymentId.getBytes(StandardCharsets.UTF_8))
                        .substring(0, 32);
    }

    /**
     * Cancels whatever the patcher's connection is running (called from the heartbeat thread on
     * cancellation).
     */
    public void cancelRunningStatement() {
        Connection c = patcher;
        if (c != null) {
            try {
                c.unwrap(PGConnection.class).cancelQuery();
            } catch (SQLException e) {
                log.warn("could not cancel the running statement: {}", e.getMessage());
            }
        }
    }

    /**
     * @param cancelled true once the window was aborted or cancelled: checked between steps and
     *     before COMMIT
     * @param progress told the name of each step as it starts, for heartbeats
     */
    public OutageReport run(BooleanSupplier cancelled, Consumer<String> progress) throws Exception {
        String app = applicationName(request.deploymentId());
        ConnectionGate gate = Gates.of(env, app);
        phaseStart = System.nanoTime();
        phaseStartedAt = Instant.now();
        try (Connection c = Environments.connect(env, app)) {
            patcher = c;
            phase("connect");
            Approved approved = checkFiles(c, progress);
            if (approved.bundle().isEmpty()) {
                return nothingToApply(approved);
            }
            prepareGate(gate, progress);
            awaitWindow(cancelled, progress);
            Closed closed = closeGate(gate, progress);
            Inside inside = null;
            ApplicationFailure failure = null;
            try {
                inside = inside(c, gate, approved, cancelled, progress);
            } catch (PatchEngineException e) {
                if (cancelled.getAsBoolean()) {
                    throw new CancelledOutage(e.getMessage());
                }
                failure = asFailure(e);
            } catch (ApplicationFailure e) {
                failure = e;
            } finally {
                progress.accept("opening the gate");
                restartPhase();
                try {
                    if (!openedByCommit) {
                        openGate(gate);
                        openedNanos = System.nanoTime();
                        openedAt = Instant.now();
                    }
                } catch (ApplicationFailure e) {
                    if (!committed) {
                        throw e;
                    }
                    failure = e; // applied and committed, then the gate would not open: said as such below
                } finally {
                    gate.release();
                }
                phase("open gate");
            }
            if (failure != null) {
                throw reported(c, gate, closed, failure);
            }
            OutageReport report = completed(gate, closed, inside, openedNanos, openedAt, commitLsn(c, inside));
            record(c, report, closed.at(), "COMPLETED", null);
            return report;
        } catch (CancelledOutage e) {
            gate.release();
            throw e;
        } catch (SQLException e) {
            gate.release();
            throw ApplicationFailure.newFailure(
                    "database error during the outage (" + (committed ? "after COMMIT: applied" : "not committed")
                            + "; what committed is asked of the database): " + e.getMessage() + " [SQLSTATE "
                            + e.getSQLState() + "]",
                    FailureType.DATABASE_UNREACHABLE.name());
        } finally {
            patcher = null;
        }
    }

    /** A patch engine failure as the window's failure; past its plan's time limit, OFF_TRACK. */
    private ApplicationFailure asFailure(PatchEngineException e) {
        if (request.timeLimit() != null && SqlState.QUERY_CANCELED.equals(e.sqlState())) {
            return ApplicationFailure.newNonRetryableFailure(
                    String.format(
                            Locale.ROOT,
                            "%s: the outage ran past the limit its plan allows (%.1f s: the estimate"
                                    + " and the off-track limit) and was rolled back",
                            e.getMessage(),
                            request.timeLimit().toMillis() / 1000.0),
                    FailureType.OFF_TRACK.name());
        }
        return e.toFailure();
    }

    /**
     * A failure once the gate had closed, told as it happened: the same failure, carrying the outage's report
     * (gate closed and opened, sessions terminated, what failed, what committed if anything), which also goes
     * to the history table.
     */
    private ApplicationFailure reported(Connection c, ConnectionGate gate, Closed closed, ApplicationFailure failure) {
        String what = failure.getOriginalMessage();
        step(
                EventCode.OUTAGE_FAILED,
                committed
                        ? "Applied and committed, then: " + what + "."
                        : "Outage failed: " + what + "; rolled back, nothing was changed.");
        long opened = openedAt == null ? System.nanoTime() : openedNanos;
        Duration outage = Duration.ofNanos(opened - closed.nanos());
        if (openedAt != null) {
            step(
                    EventCode.GATE_OPENED,
                    "Outage over. " + Clock.format(outage) + (committed ? " (applied)" : " (rolled back)")
                            + ". Gate open: connections restored.");
        }
        ApplyReport done = committed ? applied : NOTHING_APPLIED;
        OutageReport report = report(
                gate.name(),
                closed.at(),
                openedAt,
                openedAt == null ? 0 : outage.toMillis(),
                new Inside(done, kicked, kicked > 0 ? 1 : 0),
                committed ? commitLsn(c, new Inside(applied, kicked, 1)) : null);
        if (openedAt != null) {
            record(c, report, closed.at(), committed ? "APPLIED_ABNORMALLY" : "FAILED", what);
        }
        String message = committed
                ? "applied and committed ("
                        + PatchId.join(done.applied().stream().map(a -> a.id()).toList()) + "), then: " + what
                : what;
        return ApplicationFailure.newNonRetryableFailureWithCause(message, failure.getType(), failure, report);
    }

    /** Every patch of the bundle is recorded already (an earlier window applied it): no gate, no kick. */
    private OutageReport nothingToApply(Approved approved) {
        String why = approved.alreadyApplied().isEmpty()
                ? "Nothing to apply: the bundle is empty; the gate was not closed."
                : "Nothing to apply: " + PatchId.join(approved.alreadyApplied())
                        + " already applied (by an earlier window); the gate was not closed.";
        step(EventCode.NOTHING_TO_APPLY, why);
        log.info(why);
        return report("none", null, null, 0, new Inside(NOTHING_APPLIED, 0, 0), null);
    }

    /** When the gate closed, and what closing it did. */
    private record Closed(long nanos, Instant at, String what) {}

    /** What happened inside the outage: the apply's report and the kick's figures. */
    private record Inside(ApplyReport applied, int kicked, int rounds) {}

    /** Everything that can be checked before the gate closes ({@link BeforeTheGate}), as one phase. */
    private Approved checkFiles(Connection c, Consumer<String> progress) throws SQLException, java.io.IOException {
        progress.accept("checking the approved files");
        Approved approved = BeforeTheGate.check(c, env, request, new PatchEngine(engineSettings()));
        phase("check files");
        return approved;
    }

    private void prepareGate(ConnectionGate gate, Consumer<String> progress) {
        progress.accept("preparing the gate");
        try {
            gate.prepare();
        } catch (Exception e) {
            gate.release();
            throw ApplicationFailure.newNonRetryableFailure(
                    "could not reach the gate (" + gate.name() + "): " + e.getMessage()
                            + "; it was never closed and nothing was changed",
                    FailureType.GATE_FAILED.name());
        }
        phase("prepare gate");
    }

    /** An armed outage sleeps until the window's start, on this worker's clock. */
    private void awaitWindow(BooleanSupplier cancelled, Consumer<String> progress) throws InterruptedException {
        if (request.notBefore() == null) {
            return;
        }
        Duration ahead = Duration.between(Instant.now(), request.notBefore());
        Duration plausible = env.budgets().armLead().multipliedBy(2).plusSeconds(5);
        if (ahead.compareTo(plausible) > 0) {
            // The workflow armed this outage armLead before its window; a window much further away on this
            // worker's clock means the clocks disagree (or a test service skips time): do not sleep on it.
            step(
                    EventCode.CLOCK_SKEW,
                    "This worker's clock puts the window " + ahead.toSeconds()
                            + " s away, more than an armed outage waits; the gate closes on arrival.");
        } else {
            progress.accept("armed: the gate closes at " + request.notBefore());
            waitUntil(request.notBefore(), cancelled);
        }
        restartPhase();
    }

    private Closed closeGate(ConnectionGate gate, Consumer<String> progress) {
        FailPoints.reach(FailPoints.BEFORE_GATE);
        progress.accept("closing the gate");
        long nanos = System.nanoTime();
        Instant at = Instant.now();
        String closed;
        try {
            closed = gate.close();
        } catch (Exception e) {
            try {
                openGate(gate); // whatever part of it did close
            } finally {
                gate.release();
            }
            throw ApplicationFailure.newNonRetryableFailure(
                    "could not close the gate (" + e.getMessage() + "); it is open again and nothing was changed",
                    FailureType.GATE_FAILED.name());
        }
        phase("close gate");
        step(EventCode.GATE_CLOSED, "Outage starts. Gate (" + gate.name() + ") closed: " + closed + ".");
        FailPoints.reach(FailPoints.GATE_CLOSED);
        log.info("Outage starts.");
        return new Closed(nanos, at, closed);
    }

    /** With the gate closed: fragile users re-checked, everyone else kicked, the patches applied. */
    private Inside inside(
            Connection c, ConnectionGate gate, Approved approved, BooleanSupplier cancelled, Consumer<String> progress)
            throws Exception {
        requireNotCancelled(cancelled);
        progress.accept("checking fragile users and terminating sessions");
        // Signal and go: a patch waits, bounded by lock_timeout, only for the locks it needs (as a
        // hand-written outage does), not for every terminated backend to exit; see BENCHMARKS.md.
        Sessions.Kick kick = Sessions.kickUnlessFragileBusy(c, env.fragileUsers(), env.systemUsers());
        if (!kick.busyFragile().isEmpty()) {
            throw ApplicationFailure.newNonRetryableFailure(
                    "fragile users are mid-transaction: " + Preflight.describe(kick.busyFragile())
                            + "; nothing was changed",
                    FailureType.FRAGILE_USER_BUSY.name());
        }
        kicked = kick.kicked();
        FailPoints.reach(FailPoints.KICK);
        phase("kick");
        step(
                EventCode.SESSIONS_KICKED,
                "Terminated " + kicked + " session(s); the patches wait only for the locks they need.");
        requireNotCancelled(cancelled);
        progress.accept("applying patches");
        ApplyReport applied = apply(c, gate, approved, cancelled);
        phase("apply");
        FailPoints.reach(FailPoints.AFTER_COMMIT);
        for (var a : applied.applied()) {
            step(
                    EventCode.PATCH_APPLIED,
                    String.format(Locale.ROOT, "%s applied just now in %.1f seconds.", a.id(), a.seconds()));
        }
        applied.followUps().forEach(f -> step(EventCode.FOLLOW_UP, f));
        return new Inside(applied, kicked, 1);
    }

    /**
     * The patches in one transaction. A session the kick spares (a system user) may hold a lock a patch
     * needs beyond lock_timeout: the transaction rolls back and is tried again a few times, backing off,
     * before the window gives up with the gate reopened.
     */
    private ApplyReport apply(Connection c, ConnectionGate gate, Approved approved, BooleanSupplier cancelled)
            throws Exception {
        PatchEngine engine = new PatchEngine(engineSettings());
        Deployment who = new Deployment(request.deploymentId(), "fastdowntime", null, null);
        for (int attempt = 1; ; attempt++) {
            try {
                opensWithCommit = false;
                ApplyReport applied = engine.applyCold(c, approved.set(), approved.bundle(), who, () -> {
                    FailPoints.reach(FailPoints.BEFORE_COMMIT);
                    if (cancelled.getAsBoolean()) {
                        throw new PatchEngineException(
                                ProblemType.PATCH_FAILED, "the window was aborted before COMMIT");
                    }
                    try {
                        opensWithCommit = gate.openWithCommit(c);
                    } catch (SQLException e) {
                        throw new PatchEngineException(
                                ProblemType.PATCH_FAILED,
                                "could not open the gate with the COMMIT: " + e.getMessage() + "; rolled back",
                                e.getSQLState(),
                                e);
                    }
                });
                committed = true;
                this.applied = applied;
                gate.committed();
                if (opensWithCommit) {
                    openedByCommit = true;
                    openedNanos = System.nanoTime();
                    openedAt = Instant.now();
                }
                return applied;
            } catch (PatchEngineException e) {
                if (!SqlState.LOCK_NOT_AVAILABLE.equals(e.sqlState()) || cancelled.getAsBoolean()) {
                    throw e;
                }
                if (attempt > LOCK_RETRIES) {
                    throw ApplicationFailure.newNonRetryableFailure(
                            e.getMessage() + "; gave up after " + attempt + " attempts (lock_timeout "
                                    + env.budgets().lockTimeout() + " each); nothing was changed",
                            FailureType.LOCK_TIMEOUT.name());
                }
                Duration pause = Duration.ofMillis(250L << (attempt - 1));
                step(
                        EventCode.LOCK_RETRY,
                        "Lock timeout (attempt " + attempt + " of " + (LOCK_RETRIES + 1) + "): " + e.getMessage()
                                + "; rolled back, trying again in " + pause.toMillis() + " ms.");
                Thread.sleep(pause.toMillis());
                requireNotCancelled(cancelled);
                kickUntilGone(c);
            }
        }
    }

    /**
     * The environment's engine settings; an outage with its own time limit (a monthly window's plan)
     * lets each statement run that long instead of the environment's statement timeout.
     */
    private org.fastdowntime.patch.EngineSettings engineSettings() {
        var settings = env.engineSettings();
        return request.timeLimit() == null
                ? settings
                : settings.withTimeouts(settings.lockTimeout(), request.timeLimit());
    }

    /** The primary's WAL position after the window's COMMIT, which standbys must replay; null if nothing committed. */
    private static String commitLsn(Connection c, Inside inside) {
        if (inside.applied().applied().isEmpty() && inside.applied().followUps().isEmpty()) {
            return null;
        }
        try (Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            log.warn("Could not read the WAL position after COMMIT: {}", e.getMessage());
            return null;
        }
    }

    /** The gate is open again: "Outage complete.", and the report. */
    private OutageReport completed(
            ConnectionGate gate, Closed closed, Inside inside, long openedNanos, Instant openedAt, String commitLsn) {
        Duration outage = Duration.ofNanos(openedNanos - closed.nanos());
        step(
                EventCode.GATE_OPENED,
                String.format(
                        Locale.ROOT,
                        "Outage complete. %s (patches %.2f s). Gate open: connections restored.",
                        Clock.format(outage),
                        inside.applied().patchSeconds()));
        log.info("Outage complete. {}", Clock.format(outage));
        return report(gate.name(), closed.at(), openedAt, outage.toMillis(), inside, commitLsn);
    }

    /** The report of this outage as it stands, with its steps and phases so far. */
    private OutageReport report(
            String gate, Instant closedAt, Instant openedAt, long outageMillis, Inside inside, String commitLsn) {
        return new OutageReport(
                gate,
                closedAt,
                openedAt,
                outageMillis,
                inside.applied().patchSeconds(),
                inside.applied().applied(),
                inside.kicked(),
                inside.rounds(),
                List.copyOf(steps),
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(phases)),
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(phaseStarts)),
                commitLsn,
                List.of());
    }

    /** The window's row in the history table, right after the gate reopened. */
    private void record(Connection c, OutageReport report, Instant closedAt, String outcome, String note) {
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

    /**
     * Thrown when the window was aborted or cancelled while the outage ran; the gate is open again by
     * then.
     */
    public static final class CancelledOutage extends RuntimeException {
        CancelledOutage(String message) {
            super(message);
        }
    }

    /** Sleeps until {@code at} (the window's start), watching for cancellation every 10 ms. */
    private static void waitUntil(Instant at, BooleanSupplier cancelled) throws InterruptedException {
        while (true) {
            requireNotCancelled(cancelled);
            long left = Duration.between(Instant.now(), at).toNanos();
            if (left <= 0) {
                return;
            }
            Thread.sleep(Math.min(left / 1_000_000 + 1, 10));
        }
    }

    private static void requireNotCancelled(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) {
            throw new CancelledOutage("the window was aborted; nothing was changed");
        }
    }

    /**
     * Terminates non-system sessions until none remain: at most kickTries rounds, kickInterval apart
     * (Launchpad's 100 × 0.1 s), watching every 5 ms for the terminated backends to be gone so no
     * round waits longer than needed.
     */
    /**
     * After a lock timeout: terminates again and waits until every session but the system users' is
     * gone (up to kickTries rounds, kickInterval apart, watching every 5 ms), so the retry finds no
     * terminated backend still holding a lock; a session that survives them all fails the window.
     */
    private int[] kickUntilGone(Connection c) throws SQLException, InterruptedException {
        int total = 0;
        for (int round = 1; round <= env.budgets().kickTries(); round++) {
            if (Sessions.except(c, env.systemUsers()).isEmpty()) {
                return new int[] {total, round - 1};
            }
            total += Sessions.terminateAllExcept(c, env.systemUsers());
            FailPoints.reach(FailPoints.KICK);
            long next = System.nanoTime() + env.budgets().kickInterval().toNanos();
            while (System.nanoTime() < next) {
                Thread.sleep(5);
                if (Sessions.except(c, env.systemUsers()).isEmpty()) {
                    return new int[] {total, round};
                }
            }
        }
        List<Sessions.Session> left = Sessions.except(c, env.systemUsers());
        if (left.isEmpty()) {
            return new int[] {total, env.budgets().kickTries()};
        }
        throw ApplicationFailure.newNonRetryableFailure(
                "sessions survived "
                        + env.budgets().kickTries()
                        + " rounds of pg_terminate_backend: "
                        + Preflight.describe(left),
                FailureType.KICK_FAILED.name());
    }

    private void openGate(ConnectionGate gate) {
        Exception last = null;
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                gate.open();
                return;
            } catch (Exception e) {
                last = e;
                log.error("Outage ongoing: could not reopen the gate (attempt {}): {}", attempt, e.getMessage());
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw ApplicationFailure.newFailure(
                "Outage ongoing until the gate reopens: " + last, FailureType.GATE_FAILED.name());
    }

    /** Ends the phase under way: its duration and the moment it started are kept under {@code name}. */
    private void phase(String name) {
        long now = System.nanoTime();
        phases.put(name, (now - phaseStart) / 1_000_000);
        phaseStarts.put(name, phaseStartedAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        phaseStart = now;
        phaseStartedAt = Instant.now();
    }

    /** Starts the next phase now (time spent waiting belongs to no phase). */
    private void restartPhase() {
        phaseStart = System.nanoTime();
        phaseStartedAt = Instant.now();
    }

    private void step(EventCode code, String text) {
        steps.add(new TimelineEvent(
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), "OUTAGE", text, code));
    }
}
