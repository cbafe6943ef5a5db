package org.fastdowntime.patch;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fastdowntime.model.AppliedPatch;
import org.fastdowntime.model.ApplyReport;
import org.fastdowntime.model.Deployment;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchKind;
import org.fastdowntime.model.PatchPlan;
import org.fastdowntime.model.PatchTiming;
import org.fastdowntime.model.Problem;
import org.fastdowntime.model.TimingReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans, times and applies a folder's patches against one database.
 *
 * <ul>
 *   <li>{@link #plan}: read-only (the transaction is READ ONLY, so it cannot write even by
 *       mistake).
 *   <li>{@link #timeCold}: applies the pending cold patches in one transaction, timing each, then
 *       rolls back.
 *   <li>{@link #applyCold}: the same, committed: all the patches and their revision rows, or
 *       nothing.
 *   <li>{@link #applyLive}: LIVE patches one at a time, each statement in autocommit, recorded
 *       after success.
 * </ul>
 *
 * Applies are serialized against other deployers by a PostgreSQL advisory lock, and skip any patch
 * already recorded when the applying transaction looks (exactly once).
 */
public final class PatchEngine {
    private static final Logger log = LoggerFactory.getLogger(PatchEngine.class);

    /** Advisory lock key of all fastdowntime deployers: "fdt" + "lock" in ASCII. */
    public static final long DEPLOY_LOCK_KEY = DeployLock.KEY;

    private final EngineSettings settings;
    private final RevisionStore store;
    private final WindowSession session;
    private final DeployLock deployLock;
    private final PatchStatements statements;

    public PatchEngine(EngineSettings settings) {
        this.settings = settings;
        this.store = new RevisionStore(settings.revisionTable());
        this.session = new WindowSession(settings);
        this.deployLock = new DeployLock(settings);
        this.statements = new PatchStatements(settings, session);
    }

    public EngineSettings settings() {
        return settings;
    }

    public RevisionStore store() {
        return store;
    }

    /**
     * The dry run. {@code stagingSeconds} maps {@code id@sha256} to a staging time measured earlier
     * (from {@code time-patches --json}); a timing of another version of the file is not used.
     */
    public PatchPlan plan(Connection c, PatchSet set, Map<String, Double> stagingSeconds) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("SET TRANSACTION READ ONLY");
            return new PatchPlanner(settings, store).plan(c, set, stagingSeconds);
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
    }

    /** Indexes marked INVALID that are not being built right now. */
    public List<String> invalidIndexes(Connection c) throws SQLException {
        return PatchPlanner.invalidIndexes(c);
    }

    /**
     * Applies the named cold patches in one transaction, timing each, and rolls everything back; none named,
     * nothing timed.
     */
    public TimingReport timeCold(Connection c, PatchSet set, Collection<PatchId> only)
            throws SQLException, PatchEngineException {
        return timeCold(c, set, ColdBundle.of(set, only));
    }

    /**
     * Runs {@code bundle} as a window would, timing each patch, and rolls everything back: the rehearsal of
     * exactly what an outage will run.
     */
    public TimingReport timeCold(Connection c, PatchSet set, ColdBundle bundle)
            throws SQLException, PatchEngineException {
        requireValid(set);
        Deployment timing = new Deployment("staging-timing", "fastdowntime", null, null);
        ApplyReport run = runCold(c, bundle, timing, null);
        List<PatchTiming> timings = new ArrayList<>();
        double budget = seconds(settings.perPatchBudget());
        for (AppliedPatch a : run.applied()) {
            PatchFile p = set.find(a.id()).orElseThrow();
            timings.add(new PatchTiming(a.id(), p.fileName(), p.sha256(), a.seconds(), a.seconds() > budget));
        }
        double aggregate = run.patchSeconds();
        double monthly = org.fastdowntime.model.MonthlyPolicy.estimateSeconds(aggregate, settings.monthlyOverhead());
        // A fast window's patches: the same rule (twice staging), without the monthly overhead.
        double fast = org.fastdowntime.model.MonthlyPolicy.estimateSeconds(aggregate, java.time.Duration.ZERO);
        return new TimingReport(
                Databases.databaseName(c),
                timings,
                aggregate,
                budget,
                monthly,
                seconds(settings.monthlyWindow()),
                monthly <= seconds(settings.monthlyWindow()),
                fast,
                seconds(settings.fastBudget()),
                fast <= seconds(settings.fastBudget()));
    }

    /**
     * Applies the named cold patches ({@code only}; none named, nothing applied) in ONE transaction with
     * their revision rows and history, and commits. The connection may have been opened long before (the
     * outage opens it before closing the gate); the engine owns its transaction from here.
     */
    public ApplyReport applyCold(Connection c, PatchSet set, Collection<PatchId> only, Deployment who)
            throws SQLException, PatchEngineException {
        return applyCold(c, set, ColdBundle.of(set, only), who, () -> {});
    }

    /**
     * Applies exactly {@code bundle} in ONE transaction, calling {@code beforeCommit} as the last step before
     * COMMIT: the outage uses it to roll back instead when the window was aborted meanwhile. An empty bundle
     * applies nothing and opens no transaction.
     */
    public ApplyReport applyCold(
            Connection c, PatchSet set, ColdBundle bundle, Deployment who, BeforeCommit beforeCommit)
            throws SQLException, PatchEngineException {
        requireValid(set);
        return runCold(c, bundle, who, beforeCommit);
    }

    /**
     * Begins a cold transaction ahead of its bundle, in one round trip ({@link ColdTransaction}): the outage begins it
     * before its gate closes, so that once the gate is closed the kick and the patches are the first thing sent.
     * What it read stays true meanwhile: the outage's session holds the deployers' lock since before.
     */
    public ColdTransaction beginCold(Connection c) throws SQLException, PatchEngineException {
        return ColdTransaction.begin(c, settings, store, session, deployLock, statements);
    }

    /** Every pending patch of {@code kind}, named: what a caller passes when it means all of them. */
    public List<PatchId> pending(Connection c, PatchSet set, PatchKind kind) throws SQLException {
        Set<PatchId> applied = store.appliedIds(c);
        return set.patches().stream()
                .filter(p -> p.kind() == kind && !applied.contains(p.id()))
                .map(PatchFile::id)
                .toList();
    }

    /** A last check before COMMIT; throwing rolls the whole window back. */
    @FunctionalInterface
    public interface BeforeCommit {
        void check() throws PatchEngineException;
    }

    /** {@code beforeCommit} null = a timing run: roll back at the end. */
    private ApplyReport runCold(Connection c, ColdBundle bundle, Deployment who, BeforeCommit beforeCommit)
            throws SQLException, PatchEngineException {
        if (bundle.isEmpty()) {
            return ColdTransaction.NOTHING;
        }
        return beginCold(c).run(bundle, who, beforeCommit, null, Alongside.NONE);
    }

    /**
     * Applies the named LIVE patches ({@code only}; none named, nothing applied) one at a time outside any
     * transaction; each is recorded only after all its statements succeeded ({@link LiveApply}).
     */
    public ApplyReport applyLive(Connection c, PatchSet set, Collection<PatchId> only, Deployment who)
            throws SQLException, PatchEngineException {
        return new LiveApply(store, session, deployLock, statements).apply(c, set, only, who);
    }

    /** Builds a fresh database from the folder's newest baseline, in one transaction. */
    public void loadBaseline(Connection c, PatchSet set) throws SQLException, PatchEngineException {
        Baselines.load(c, set, store);
    }

    static void requireValid(PatchSet set) throws PatchEngineException {
        if (!set.valid()) {
            Problem first = set.problems().get(0);
            throw new PatchEngineException(
                    first.type(),
                    "the patch set is invalid: "
                            + first.describe()
                            + (set.problems().size() > 1
                                    ? " (and " + (set.problems().size() - 1) + " more)"
                                    : ""));
        }
    }

    /**
     * Takes the deployers' lock for the whole session (the outage does, before its gate closes, so a second
     * deployer is refused while nothing is closed yet); it goes with the session. Waits at most lock_timeout.
     */
    public void lockDeployersForSession(Connection c) throws SQLException, PatchEngineException {
        deployLock.take(c, false);
    }

    static void rollbackQuietly(Connection c) {
        try {
            if (!c.isClosed() && !c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException e) {
            log.warn("rollback failed: {}", e.getMessage());
        }
    }

    private static double seconds(java.time.Duration d) {
        return d.toMillis() / 1000.0;
    }
}
