package org.fastdowntime.patch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.fastdowntime.model.AppliedPatch;
import org.fastdowntime.model.ApplyReport;
import org.fastdowntime.model.Deployment;
import org.fastdowntime.model.LintFinding;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchKind;
import org.fastdowntime.model.PatchPlan;
import org.fastdowntime.model.PatchPlanEntry;
import org.fastdowntime.model.PatchStatus;
import org.fastdowntime.model.PatchTiming;
import org.fastdowntime.model.Problem;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.model.ScriptPlanEntry;
import org.fastdowntime.model.Severity;
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
    public static final long DEPLOY_LOCK_KEY = 0x6664746c6f636bL;

    private final EngineSettings settings;
    private final RevisionStore store;
    private final WindowSession session;

    public PatchEngine(EngineSettings settings) {
        this.settings = settings;
        this.store = new RevisionStore(settings.revisionTable());
        this.session = new WindowSession(settings);
    }

    public EngineSettings settings() {
        return settings;
    }

    public RevisionStore store() {
        return store;
    }

    // ---- plan
    // -------------------------------------------------------------------------------------------

    /**
     * The dry run. {@code stagingSeconds} maps {@code id@sha256} to a staging time measured earlier
     * (from {@code time-patches --json}); a timing of another version of the file is not used.
     */
    public PatchPlan plan(Connection c, PatchSet set, Map<String, Double> stagingSeconds) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("SET TRANSACTION READ ONLY");
            return planReadOnly(c, set, stagingSeconds);
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
    }

    private PatchPlan planReadOnly(Connection c, PatchSet set, Map<String, Double> stagingSeconds) throws SQLException {
        Set<PatchId> applied = store.appliedIds(c);
        Map<PatchId, String> sums = store.recordedChecksums(c);
        List<String> invalid = invalidIndexes(c);
        List<Problem> problems = new ArrayList<>(set.problems());
        List<PatchPlanEntry> entries = new ArrayList<>();
        List<PatchId> pendingCold = new ArrayList<>();
        List<PatchId> pendingLive = new ArrayList<>();
        Set<PatchId> inFolder = new HashSet<>();
        for (PatchFile p : set.patches()) {
            inFolder.add(p.id());
            PatchStatus status;
            if (!applied.contains(p.id())) {
                status = PatchStatus.PENDING;
                (p.kind() == PatchKind.COLD ? pendingCold : pendingLive).add(p.id());
            } else if (sums.containsKey(p.id()) && !sums.get(p.id()).equals(p.sha256())) {
                status = PatchStatus.DRIFTED;
                problems.add(Problem.of(
                        ProblemType.DRIFT,
                        p.fileName(),
                        "applied with SHA-256 "
                                + sums.get(p.id())
                                + ", but the file now has "
                                + p.sha256()
                                + "; an applied patch must never change (write a new patch instead)"));
            } else {
                status = PatchStatus.APPLIED;
            }
            entries.add(new PatchPlanEntry(
                    p.id(),
                    p.fileName(),
                    p.kind(),
                    status,
                    p.sha256(),
                    lintWithInvalidIndexes(p, invalid),
                    stagingSeconds.get(p.id() + "@" + p.sha256())));
        }
        for (String index : invalid) {
            problems.add(Problem.of(
                    ProblemType.INVALID_INDEX,
                    null,
                    "index "
                            + index
                            + " is INVALID, left by a failed CREATE INDEX CONCURRENTLY; drop it and re-run"
                            + " the patch that builds it"));
        }
        missingFiles(set, applied, inFolder, entries, problems);
        entries.sort(java.util.Comparator.comparing(PatchPlanEntry::id));
        Map<String, String> lastScripts = store.lastScriptChecksums(c);
        List<ScriptPlanEntry> scripts = set.scripts().stream()
                .map(s -> {
                    String last = lastScripts.get(s.fileName());
                    boolean unchanged = s.sha256().equals(last);
                    return new ScriptPlanEntry(
                            s.fileName(),
                            s.sha256(),
                            unchanged ? ScriptPlanEntry.UNCHANGED : ScriptPlanEntry.WOULD_RUN,
                            last,
                            s.lint());
                })
                .toList();
        return new PatchPlan(
                Databases.databaseName(c),
                set.folder().toString(),
                Databases.serverVersionNum(c),
                List.copyOf(entries),
                pendingCold,
                pendingLive,
                invalid,
                List.copyOf(problems),
                scripts,
                settings.grants().isEmpty()
                        ? List.of()
                        : NewObjectGrants.ungranted(c, settings.grants(), store.revisionTable()));
    }

    /** The file's lint findings, and one for each INVALID index the file builds. */
    private static List<LintFinding> lintWithInvalidIndexes(PatchFile p, List<String> invalid) {
        List<LintFinding> lint = new ArrayList<>(p.lint());
        for (String index : invalid) {
            if (createsIndex(p, index)) {
                lint.add(new LintFinding(
                        Linter.INVALID_INDEX_RULE,
                        p.fileName(),
                        1,
                        Severity.ERROR,
                        "index " + index + " is INVALID (a CONCURRENTLY build failed): DROP INDEX CONCURRENTLY it,"
                                + " then re-run the patch",
                        null));
            }
        }
        return List.copyOf(lint);
    }

    /** Revisions recorded as applied whose file is not in the folder (and not archived in a baseline). */
    private void missingFiles(
            PatchSet set,
            Set<PatchId> applied,
            Set<PatchId> inFolder,
            List<PatchPlanEntry> entries,
            List<Problem> problems) {
        PatchId oldest = oldestKnown(set);
        Set<PatchId> baselineIds = new HashSet<>();
        set.baselines().forEach(b -> baselineIds.add(PatchFolder.baselineMajor(b)));
        for (PatchId id : applied) {
            boolean archived = oldest == null || id.major() < oldest.major();
            if (!inFolder.contains(id) && !baselineIds.contains(id) && !archived) {
                entries.add(new PatchPlanEntry(id, null, null, PatchStatus.MISSING_FILE, null, List.of(), null));
                problems.add(Problem.of(
                        ProblemType.MISSING_FILE,
                        "patch-" + id + ".sql",
                        "revision " + id + " is recorded in " + store.revisionTable()
                                + " but no file in the folder has it"));
            }
        }
    }

    /**
     * The lowest major any file of the folder covers; older revisions were folded into a baseline
     * long ago.
     */
    private static PatchId oldestKnown(PatchSet set) {
        TreeSet<PatchId> ids = new TreeSet<>();
        set.patches().forEach(p -> ids.add(p.id()));
        set.baselines().forEach(b -> ids.add(PatchFolder.baselineMajor(b)));
        return ids.isEmpty() ? null : ids.first();
    }

    private static boolean createsIndex(PatchFile p, String qualifiedIndex) {
        String name = qualifiedIndex.substring(qualifiedIndex.indexOf('.') + 1);
        for (SqlStatement s : p.statements()) {
            if (StatementKinds.isCreateIndex(s)) {
                int i = s.indexOfWord("INDEX", 1) + 1;
                if (s.matchesAt(i, "CONCURRENTLY")) {
                    i++;
                }
                if (s.matchesAt(i, "IF", "NOT", "EXISTS")) {
                    i += 3;
                }
                AlterTable.NameAt n = AlterTable.NameAt.read(s.tokens(), i);
                if (n != null && n.name().equals(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Indexes marked INVALID that are not being built right now. */
    public List<String> invalidIndexes(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT n.nspname || '.' || ic.relname FROM pg_index i JOIN pg_class ic ON ic.oid ="
                                + " i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace WHERE NOT"
                                + " i.indisvalid AND NOT EXISTS (SELECT 1 FROM pg_stat_progress_create_index p"
                                + " WHERE p.index_relid = i.indexrelid) ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    // ---- cold: time and apply
    // -----------------------------------------------------------------------------

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
        double fast = 2 * aggregate;
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
        boolean commit = beforeCommit != null;
        if (bundle.isEmpty()) {
            return new ApplyReport(List.of(), List.of(), 0, List.of());
        }
        c.setAutoCommit(false);
        boolean done = false;
        try {
            Begun begun = beginCold(c);
            Set<PatchId> applied = begun.recorded();
            RevisionStore store = begun.store();
            Set<Long> before = settings.grants().isEmpty() ? null : NewObjectGrants.snapshot(c);
            List<AppliedPatch> out = new ArrayList<>();
            List<PatchId> skipped = new ArrayList<>();
            List<RevisionStore.Ran> ran = new ArrayList<>();
            double total = 0;
            for (PatchFile p : bundle.patches()) {
                if (applied.contains(p.id())) {
                    skipped.add(p.id());
                    continue;
                }
                Instant started = Instant.now();
                long t0 = System.nanoTime();
                executeInOneRoundTrip(c, p.fileName(), p.statements());
                double secs = (System.nanoTime() - t0) / 1e9;
                ran.add(new RevisionStore.Ran(p, started, secs));
                total += secs;
                out.add(new AppliedPatch(p.id(), PatchKind.COLD, p.sha256(), secs));
            }
            // All revision and history rows in one round trip; sequences are not transactional, so a
            // timing run does not even advance the history's id sequence.
            store.recordCold(c, ran, who, commit);
            List<String> followUps = runScripts(c, store, bundle.scripts(), !out.isEmpty(), who, commit);
            if (before != null) {
                followUps.addAll(NewObjectGrants.grantNew(c, settings.grants(), before));
            }
            if (commit) {
                beforeCommit.check();
                c.commit();
            } else {
                c.rollback();
            }
            done = true;
            // Logged once the transaction is over: a log line costs as much as a small statement, and
            // inside an outage every millisecond is the users'.
            skipped.forEach(id -> log.info("{} already applied; skipped", id));
            out.forEach(a -> log.info(
                    "{} applied just now in {} seconds", a.id(), String.format(Locale.ROOT, "%.1f", a.seconds())));
            return new ApplyReport(List.copyOf(out), List.copyOf(skipped), total, followUps);
        } finally {
            if (!done) {
                rollbackQuietly(c);
            }
        }
    }

    /**
     * The repeatable scripts, in the same transaction, after the patches: each one that changed since
     * it was last applied, or every one when a patch ran (Launchpad re-applied them after every
     * update). Returns what ran, for people.
     */
    private List<String> runScripts(
            Connection c,
            RevisionStore store,
            List<RepeatableScript> scripts,
            boolean patchRan,
            Deployment who,
            boolean commit)
            throws SQLException, PatchEngineException {
        List<String> said = new ArrayList<>();
        if (scripts.isEmpty() || !patchRan) {
            return said;
        }
        Map<String, String> last = store.lastScriptChecksums(c);
        for (RepeatableScript s : scripts) {
            boolean changed = !s.sha256().equals(last.get(s.fileName()));
            Instant started = Instant.now();
            long t0 = System.nanoTime();
            executeInOneRoundTrip(c, s.fileName(), s.statements());
            double secs = (System.nanoTime() - t0) / 1e9;
            if (commit) {
                store.recordScript(c, s, who, started, secs);
            }
            said.add(String.format(
                    Locale.ROOT,
                    "%s re-applied in %.2f seconds (%s).",
                    s.fileName(),
                    secs,
                    changed ? "changed since it was last applied" : "after the patches"));
            log.info("{} re-applied in {} seconds", s.fileName(), String.format(Locale.ROOT, "%.2f", secs));
        }
        return said;
    }

    // ---- live
    // ---------------------------------------------------------------------------------------------

    /**
     * Applies the named LIVE patches ({@code only}; none named, nothing applied) one at a time outside any
     * transaction; each is recorded (revision row and history, in a short transaction) only after all its
     * statements succeeded.
     */
    public ApplyReport applyLive(Connection c, PatchSet set, Collection<PatchId> only, Deployment who)
            throws SQLException, PatchEngineException {
        requireValid(set);
        List<PatchFile> wanted = ColdBundle.select(set, only, PatchKind.LIVE);
        if (wanted.isEmpty()) {
            return new ApplyReport(List.of(), List.of(), 0);
        }
        c.setAutoCommit(true);
        lockDeployers(c, false);
        try {
            session.reset(c, false);
            c.setAutoCommit(false);
            store.ensureTables(c);
            c.commit();
            c.setAutoCommit(true);
            List<AppliedPatch> out = new ArrayList<>();
            List<PatchId> skipped = new ArrayList<>();
            double total = 0;
            for (PatchFile p : wanted) {
                if (store.isRecorded(c, p.id())) {
                    skipped.add(p.id());
                    continue;
                }
                Instant started = Instant.now();
                long t0 = System.nanoTime();
                execute(c, p.fileName(), p.executable());
                double secs = (System.nanoTime() - t0) / 1e9;
                session.reset(c, false);
                c.setAutoCommit(false);
                try {
                    if (!store.isRecorded(c, p.id())) {
                        store.insertRevision(c, p.id());
                    }
                    store.stampRevision(c, p.id(), started, who);
                    store.recordHistory(c, p, who, started, secs);
                    c.commit();
                } finally {
                    rollbackQuietly(c);
                    c.setAutoCommit(true);
                }
                total += secs;
                out.add(new AppliedPatch(p.id(), PatchKind.LIVE, p.sha256(), secs));
                log.info("{} applied live just now in {} seconds", p.id(), String.format(Locale.ROOT, "%.1f", secs));
            }
            return new ApplyReport(List.copyOf(out), List.copyOf(skipped), total);
        } finally {
            try (Statement st = c.createStatement()) {
                c.setAutoCommit(true);
                st.execute("SELECT pg_advisory_unlock(" + DEPLOY_LOCK_KEY + ")");
            } catch (SQLException e) {
                log.warn("could not release the deployment lock (it goes with the session): {}", e.getMessage());
            }
        }
    }

    // ---- baseline
    // -----------------------------------------------------------------------------------------

    /** Builds a fresh database from the folder's newest baseline, in one transaction. */
    public void loadBaseline(Connection c, PatchSet set) throws SQLException, PatchEngineException {
        Path baseline = set.latestBaseline()
                .orElseThrow(() -> new PatchEngineException(
                        ProblemType.BAD_ARGUMENTS, "no baseline file (<name>-MAJOR-00-0.sql) in " + set.folder()));
        String sql;
        try {
            sql = Files.readString(baseline);
        } catch (java.io.IOException e) {
            throw new PatchEngineException(ProblemType.UNREADABLE_FILE, baseline + ": " + e.getMessage());
        }
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute(sql);
            store.ensureTables(c);
            PatchId id = PatchFolder.baselineMajor(baseline);
            if (!store.isRecorded(c, id)) {
                store.insertRevision(c, id);
            }
            c.commit();
        } catch (SQLException e) {
            rollbackQuietly(c);
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    // ---- shared
    // -------------------------------------------------------------------------------------------

    private static void requireValid(PatchSet set) throws PatchEngineException {
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

    /** A cold transaction once begun: the revisions recorded, and the store addressing its tables by schema. */
    private record Begun(Set<PatchId> recorded, RevisionStore store) {}

    /**
     * The start of a cold transaction in one round trip: its session settings, the deployers' lock (when
     * free), the bookkeeping tables, the revision table's schema-qualified name (so no patch's search_path can
     * redirect the bookkeeping) and the revisions already recorded. When another deployer holds the lock,
     * waits for it as {@link #lockDeployers} does and reads the revisions again under it.
     */
    private Begun beginCold(Connection c) throws SQLException, PatchEngineException {
        boolean locked = false;
        Set<PatchId> recorded = null;
        String qualified = null;
        try (Statement st = c.createStatement()) {
            String sql = session.settingsSql(true) + "; SELECT pg_try_advisory_xact_lock(" + DEPLOY_LOCK_KEY + "); "
                    + store.ensureTablesSql() + "; " + store.qualifiedNameSql() + "; " + store.recordedIdsSql();
            int resultSets = 0; // the lock's, the table's name, then the revisions'
            for (boolean rows = st.execute(sql); rows || st.getUpdateCount() != -1; rows = st.getMoreResults()) {
                if (!rows) {
                    continue;
                }
                try (ResultSet rs = st.getResultSet()) {
                    switch (resultSets++) {
                        case 0 -> locked = rs.next() && rs.getBoolean(1);
                        case 1 -> qualified = rs.next() ? rs.getString(1) : null;
                        default -> recorded = RevisionStore.ids(rs);
                    }
                }
            }
        }
        RevisionStore bound = qualified == null ? store : new RevisionStore(qualified);
        if (!locked) {
            lockDeployers(c, true);
            return new Begun(bound.recordedIds(c), bound);
        }
        return new Begun(recorded, bound);
    }

    /**
     * A patch's statements in one round trip: a JDBC batch between a savepoint and its release, followed by
     * the session's reset ({@link WindowSession}), so whatever the patch set for itself (search_path, a role,
     * client_min_messages…) ends with it and the next patch and the bookkeeping run as the first did. When it
     * fails, the patch goes back to the savepoint and runs again one statement at a time, so the error names
     * the file and line; a timeout or a cancellation is not run again (it would wait again) and names the file
     * only.
     */
    private void executeInOneRoundTrip(Connection c, String file, List<SqlStatement> statements)
            throws PatchEngineException, SQLException {
        try (Statement st = c.createStatement()) {
            st.setEscapeProcessing(false);
            st.addBatch("SAVEPOINT " + PATCH_SAVEPOINT);
            for (SqlStatement s : statements) {
                st.addBatch(s.sql());
            }
            st.addBatch("RELEASE SAVEPOINT " + PATCH_SAVEPOINT);
            for (String reset : session.reset(true)) {
                st.addBatch(reset);
            }
            st.executeBatch();
            return;
        } catch (java.sql.BatchUpdateException e) {
            SQLException cause = e.getNextException() != null ? e.getNextException() : e;
            if (Databases.isConnectionLoss(e) || Databases.isConnectionLoss(cause)) {
                throw cause;
            }
            String state = cause.getSQLState();
            if (SqlState.isInterrupted(state)) {
                throw new PatchEngineException(
                        ProblemType.PATCH_FAILED, file + ": " + cause.getMessage() + hint(state), state, cause);
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("ROLLBACK TO SAVEPOINT " + PATCH_SAVEPOINT);
        }
        execute(c, file, statements);
        try (Statement st = c.createStatement()) {
            st.execute("RELEASE SAVEPOINT " + PATCH_SAVEPOINT);
        }
        session.reset(c, true);
    }

    /** The savepoint each patch of a cold transaction runs under; released when the patch is through. */
    private static final String PATCH_SAVEPOINT = "fastdowntime_patch";

    /** For a lock timeout (55P03), which timeout gave up. */
    private String hint(String sqlState) {
        return SqlState.LOCK_NOT_AVAILABLE.equals(sqlState) ? " (lock_timeout " + settings.lockTimeout() + ")" : "";
    }

    private void execute(Connection c, String file, List<SqlStatement> statements)
            throws PatchEngineException, SQLException {
        try (Statement st = c.createStatement()) {
            st.setEscapeProcessing(false);
            for (SqlStatement s : statements) {
                try {
                    st.execute(s.sql());
                } catch (SQLException e) {
                    if (Databases.isConnectionLoss(e)) {
                        throw e;
                    }
                    throw new PatchEngineException(
                            ProblemType.PATCH_FAILED,
                            file + ":" + s.line() + ": " + e.getMessage() + hint(e.getSQLState()),
                            e.getSQLState(),
                            e);
                }
            }
        }
    }

    /**
     * Takes the deployers' lock for the whole session (the outage does, before its gate closes, so a second
     * deployer is refused while nothing is closed yet); it goes with the session. Waits at most lock_timeout.
     */
    public void lockDeployersForSession(Connection c) throws SQLException, PatchEngineException {
        lockDeployers(c, false);
    }

    /**
     * Takes the deployers' advisory lock (transaction-scoped for cold applies, session-scoped for
     * live ones), waiting at most lock_timeout, then failing with the holder's pid and application
     * name.
     */
    private void lockDeployers(Connection c, boolean transactionScoped) throws SQLException, PatchEngineException {
        String fn = transactionScoped ? "pg_try_advisory_xact_lock" : "pg_try_advisory_lock";
        long deadline = System.nanoTime() + Math.max(1, settings.lockTimeout().toNanos());
        while (true) {
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT " + fn + "(" + DEPLOY_LOCK_KEY + ")")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new PatchEngineException(
                        ProblemType.DEPLOY_LOCK_BUSY,
                        "another deployer holds the deployment lock ("
                                + lockHolder(c)
                                + "); waited "
                                + settings.lockTimeout().toMillis()
                                + " ms");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PatchEngineException(
                        ProblemType.DEPLOY_LOCK_BUSY, "interrupted waiting for the deployment lock");
            }
        }
    }

    private String lockHolder(Connection c) {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT a.pid, a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid ="
                        + " l.pid WHERE l.locktype = 'advisory' AND l.granted AND l.objid = (? &"
                        + " 4294967295)::oid AND l.database = (SELECT oid FROM pg_database WHERE datname ="
                        + " current_database()) LIMIT 1")) {
            ps.setLong(1, DEPLOY_LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? "pid " + rs.getInt(1) + ", application '" + rs.getString(2) + "'" : "holder unknown";
            }
        } catch (SQLException e) {
            return "holder unknown";
        }
    }

    private static void rollbackQuietly(Connection c) {
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
