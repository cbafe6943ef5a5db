package org.fastdowntime.gate;

import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.env.Environments;
import org.fastdowntime.gate.BeforeTheGate.Approved;
import org.fastdowntime.model.ApplyReport;
import org.fastdowntime.model.Deployment;
import org.fastdowntime.model.EventCode;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.OutagePhase;
import org.fastdowntime.model.OutageReport;
import org.fastdowntime.model.OutageRequest;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.model.StandbyCatchUp;
import org.fastdowntime.patch.ColdTransaction;
import org.fastdowntime.patch.PatchEngine;
import org.fastdowntime.patch.PatchEngineException;
import org.fastdowntime.patch.SqlState;
import org.fastdowntime.patch.TwoPhase;
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

    private final EnvironmentSettings env;
    private final OutageRequest request;
    private final PhaseStopwatch clock = new PhaseStopwatch();
    private final Kick kick;
    private final OutageAccount account;
    private final GateMoves gates;
    private final PatcherCancels cancels = new PatcherCancels();
    /** Watches the database while the outage runs (a silent network aborts the patcher's connection). */
    private DatabaseWatch watch;
    /** Set when the patcher's COMMIT opened the gate, with the moment it returned. */
    private boolean openedByCommit;
    /** Set once the window's transaction committed: from then on a failure is never "rolled back". */
    private boolean committed;
    /** Set once the window's transaction is prepared for its fleet's decision: the gate then stays closed. */
    private boolean prepared;
    /** The apply's transaction, begun before the gate closed, until the first attempt takes it. */
    private ColdTransaction begun;
    /** What the window committed, once it did. */
    private ApplyReport applied;

    private long openedNanos;
    private Instant openedAt;
    /** The standbys whose replay this outage holds paused, from before the gate closes until they caught up. */
    private Replay replay;

    public Outage(EnvironmentSettings env, OutageRequest request) {
        this.env = env;
        this.request = request;
        this.kick = new Kick(env);
        this.account = new OutageAccount(request, clock, kick);
        this.gates = new GateMoves(clock, account);
        this.replay = Replay.none(env);
    }

    /** Cancels whatever the patcher's connection is running (called from the heartbeat thread on cancellation). */
    public void cancelRunningStatement() {
        cancels.cancel();
    }

    /**
     * @param cancelled true once the window was aborted or cancelled: checked between steps and
     *     before COMMIT
     * @param progress told the name of each step as it starts, for heartbeats
     */
    public OutageReport run(BooleanSupplier cancelled, Consumer<String> progress) throws Exception {
        String app = Sessions.applicationName(request.deploymentId());
        ConnectionGate gate = Gates.of(env, app);
        clock.restart();
        try (Connection c = Environments.connect(env, app);
                DatabaseWatch watch = DatabaseWatch.start(env, app, c, DatabaseWatch.limit(env))) {
            cancels.patcher(c);
            this.watch = watch;
            clock.end(OutagePhase.CONNECT);
            Approved approved = checkFiles(c, progress);
            if (approved.bundle().isEmpty()) {
                return account.nothingToApply(approved.alreadyApplied());
            }
            Kick.warm(c);
            gates.prepare(gate, progress);
            progress.accept("pausing replay on the standbys");
            replay = Replay.pause(env, text -> step(EventCode.REPLAY, text));
            ArmedWait.forWindow(
                    request.notBefore(),
                    env.budgets().armLead(),
                    cancelled,
                    progress,
                    text -> step(EventCode.CLOCK_SKEW, text));
            if (Fence.givenUp(c, request.deploymentId())) {
                throw new CancelledOutage("the window gave this outage up (its gate was reopened by compensation):"
                        + " the gate was not closed and nothing was changed");
            }
            begin(c, gate);
            clock.restart(); // the close-gate phase is the gate's statement alone
            GateMoves.Closed closed = gates.close(gate, progress);
            return whileClosed(c, gate, closed, approved, cancelled, progress);
        } catch (CancelledOutage e) {
            gate.release();
            throw e;
        } catch (SQLException e) {
            gate.release();
            throw ApplicationFailure.newFailure(
                    (watch != null && watch.lost()
                                    ? "the database stopped answering for "
                                            + DatabaseWatch.limit(env).toSeconds() + " s (a partition or a dead host); "
                                    : "")
                            + "database error during the outage ("
                            + (committed ? "after COMMIT: applied" : "no COMMIT acknowledged")
                            + "; what committed is asked of the database): " + e.getMessage() + " [SQLSTATE "
                            + e.getSQLState() + "]",
                    FailureType.DATABASE_UNREACHABLE.name());
        } finally {
            cancels.patcher(null);
            replay.close(); // whatever is still paused resumes at once, on every path
        }
    }

    /** With the gate closed: inside, then the gate reopened whatever happened, then the report. */
    private OutageReport whileClosed(
            Connection c,
            ConnectionGate gate,
            GateMoves.Closed closed,
            Approved approved,
            BooleanSupplier cancelled,
            Consumer<String> progress)
            throws Exception {
        ApplyReport inside = null;
        ApplicationFailure failure = null;
        try {
            inside = inside(c, gate, approved, cancelled, progress);
        } catch (PatchEngineException e) {
            if (cancelled.getAsBoolean()) {
                throw new CancelledOutage(e.getMessage());
            }
            failure = OutageAccount.asFailure(e, request.timeLimit());
        } catch (ApplicationFailure e) {
            failure = e;
        } finally {
            ApplicationFailure afterCommit = prepared ? Prepared.holdGate(gate) : reopen(gate, progress);
            if (afterCommit != null) {
                failure = afterCommit;
            }
        }
        List<StandbyCatchUp> standbys = catchUp(c, progress);
        if (failure != null) {
            throw reported(c, gate, closed, failure);
        }
        if (prepared) {
            return Prepared.report(account, gate, closed, inside, request);
        }
        OutageReport report = account.completed(
                gate.name(),
                closed.nanos(),
                closed.at(),
                inside,
                openedNanos,
                openedAt,
                OutageAccount.commitLsn(c, inside));
        account.record(c, report, closed.at(), "COMPLETED", null);
        return standbys.isEmpty() ? report : report.withStandbys(standbys);
    }

    /** The gate is open again: the standbys this outage paused catch up one at a time ({@link Replay}). */
    private List<StandbyCatchUp> catchUp(Connection c, Consumer<String> progress) {
        return replay.catchUpFrom(c, progress, text -> step(EventCode.REPLAY, text));
    }

    /**
     * Opens the gate (unless the COMMIT did) and lets go of it. A gate that will not open before COMMIT fails the
     * outage; after COMMIT, the failure is returned, to be said as "applied and committed, then: …".
     */
    private ApplicationFailure reopen(ConnectionGate gate, Consumer<String> progress) {
        progress.accept("opening the gate");
        clock.restart();
        try {
            watch.releaseIfLost(gate); // a gate connection gone silent too: open on a fresh one
            if (!openedByCommit) {
                GateMoves.open(gate);
                openedNanos = System.nanoTime();
                openedAt = Instant.now();
            }
            return null;
        } catch (ApplicationFailure e) {
            if (!committed) {
                throw e;
            }
            return e;
        } finally {
            gate.release();
            clock.end(OutagePhase.OPEN_GATE);
        }
    }

    /**
     * A failure once the gate had closed, told as it happened: the same failure, carrying the outage's report
     * (gate closed and opened, sessions terminated, what failed, what committed if anything), which also goes
     * to the history table.
     */
    private ApplicationFailure reported(
            Connection c, ConnectionGate gate, GateMoves.Closed closed, ApplicationFailure failure) {
        String what = failure.getOriginalMessage();
        ApplyReport done = committed ? applied : null;
        OutageReport report = account.failed(
                gate.name(),
                closed.nanos(),
                closed.at(),
                what,
                done,
                openedNanos,
                openedAt,
                OutageAccount.commitLsn(c, done));
        if (openedAt != null) {
            account.record(c, report, closed.at(), committed ? "APPLIED_ABNORMALLY" : "FAILED", what);
        }
        String message = committed
                ? "applied and committed ("
                        + PatchId.join(
                                report.applied().stream().map(a -> a.id()).toList()) + "), then: " + what
                : what;
        return ApplicationFailure.newNonRetryableFailureWithCause(message, failure.getType(), failure, report);
    }

    /** Everything that can be checked before the gate closes ({@link BeforeTheGate}), as one phase. */
    private Approved checkFiles(Connection c, Consumer<String> progress) throws SQLException, java.io.IOException {
        progress.accept("checking the approved files");
        Approved approved = BeforeTheGate.check(c, env, request, new PatchEngine(engineSettings()));
        clock.end(OutagePhase.CHECK_FILES);
        return approved;
    }

    /**
     * With the gate closed: fragile users re-checked, everyone else kicked, the patches applied — the kick and the
     * patches in one round trip ({@link Kick#statement()}).
     */
    private ApplyReport inside(
            Connection c, ConnectionGate gate, Approved approved, BooleanSupplier cancelled, Consumer<String> progress)
            throws Exception {
        ArmedWait.requireNotCancelled(cancelled);
        progress.accept("terminating sessions and applying patches");
        ApplyReport applied;
        try {
            applied = apply(c, gate, approved, cancelled);
        } finally {
            if (kick.rounds() > 0) {
                step(
                        EventCode.SESSIONS_KICKED,
                        "Terminated " + kick.terminated()
                                + " session(s); the patches wait only for the locks they need.");
            }
        }
        clock.endSplit(OutagePhase.KICK, kick.firstNanos(), OutagePhase.APPLY);
        FailPoints.reach(prepared ? FailPoints.AFTER_PREPARE : FailPoints.AFTER_COMMIT);
        for (var a : applied.applied()) {
            step(
                    EventCode.PATCH_APPLIED,
                    String.format(Locale.ROOT, "%s applied just now in %.1f seconds.", a.id(), a.seconds()));
        }
        applied.followUps().forEach(f -> step(EventCode.FOLLOW_UP, f));
        return applied;
    }

    /**
     * The patches in one transaction, the first kick sent with them. A session the kick spares (a system user) may
     * hold a lock a patch needs beyond lock_timeout: the transaction rolls back and is tried again a few times,
     * backing off, before the window gives up with the gate reopened.
     */
    private ApplyReport apply(Connection c, ConnectionGate gate, Approved approved, BooleanSupplier cancelled)
            throws Exception {
        Deployment who = new Deployment(request.deploymentId(), "fastdowntime", null, null);
        for (int attempt = 1; ; attempt++) {
            SentWithPatches sent = new SentWithPatches(kick, gate, request.prepares(), attempt == 1);
            try {
                ColdTransaction tx = begun != null ? begun : new PatchEngine(engineSettings()).beginCold(c);
                begun = null;
                cancels.sending(true);
                ApplyReport applied;
                try {
                    applied = tx.apply(
                            approved.set(),
                            approved.bundle(),
                            who,
                            () -> {
                                FailPoints.reach(FailPoints.BEFORE_COMMIT);
                                if (cancelled.getAsBoolean()) {
                                    throw new PatchEngineException(
                                            ProblemType.PATCH_FAILED, "the window was aborted before COMMIT");
                                }
                            },
                            request.prepares() ? TwoPhase.gid(request.deploymentId()) : null,
                            sent);
                } finally {
                    cancels.sending(false);
                }
                if (sent.openedAt() != null) {
                    openedByCommit = true;
                    openedNanos = sent.openedNanos();
                    openedAt = sent.openedAt();
                }
                prepared = request.prepares();
                committed = !prepared;
                this.applied = applied;
                return applied;
            } catch (PatchEngineException e) {
                ApplicationFailure fragile = Kick.fragileBusy(e);
                if (fragile != null) {
                    throw fragile;
                }
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
                ArmedWait.requireNotCancelled(cancelled);
                kick.untilGone(c);
            }
        }
    }

    /**
     * Begins the apply's transaction before the gate closes ({@link PatchEngine#beginCold}): once it is closed, the
     * kick and the patches are the first thing sent.
     */
    private void begin(Connection c, ConnectionGate gate) throws SQLException {
        try {
            begun = new PatchEngine(engineSettings()).beginCold(c);
        } catch (PatchEngineException e) {
            gate.release();
            throw OutageAccount.asFailure(e, request.timeLimit());
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

    /**
     * Thrown when the window was aborted or cancelled while the outage ran; the gate is open again by
     * then.
     */
    public static final class CancelledOutage extends RuntimeException {
        CancelledOutage(String message) {
            super(message);
        }
    }

    private void step(EventCode code, String text) {
        account.step(code, text);
    }
}
