package org.fastdowntime.patch;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.fastdowntime.model.AppliedPatch;
import org.fastdowntime.model.ApplyReport;
import org.fastdowntime.model.Deployment;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchKind;
import org.fastdowntime.patch.PatchEngine.BeforeCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cold transaction: begun in one round trip (its settings, the deployers' lock, the bookkeeping tables, the
 * revisions recorded), then its bundle sent in one more ({@link BundleBatch}) with what goes alongside, its
 * repeatable scripts and grants, then ended — COMMIT (in the bundle's round trip when nothing else runs in the
 * transaction), PREPARE TRANSACTION for a fleet's decision, or ROLLBACK for a timing run — and each patch timed
 * between its marks. An outage begins it before its gate closes.
 */
public final class ColdTransaction {
    private static final Logger log = LoggerFactory.getLogger(PatchEngine.class);

    /** What an empty bundle applies. */
    static final ApplyReport NOTHING = new ApplyReport(List.of(), List.of(), 0, List.of());

    private final Connection c;
    private final EngineSettings settings;
    private final PatchStatements statements;
    private final Set<PatchId> recorded;
    private final RevisionStore store;

    private ColdTransaction(
            Connection c,
            EngineSettings settings,
            PatchStatements statements,
            Set<PatchId> recorded,
            RevisionStore store) {
        this.c = c;
        this.settings = settings;
        this.statements = statements;
        this.recorded = recorded;
        this.store = store;
    }

    /**
     * The start of a cold transaction in one round trip: its session settings, the deployers' lock (when
     * free), the bookkeeping tables, the revision table's schema-qualified name (so no patch's search_path can
     * redirect the bookkeeping) and the revisions already recorded. When another deployer holds the lock,
     * waits for it as {@link DeployLock#take} does and reads the revisions again under it.
     */
    static ColdTransaction begin(
            Connection c,
            EngineSettings settings,
            RevisionStore store,
            WindowSession session,
            DeployLock deployLock,
            PatchStatements statements)
            throws SQLException, PatchEngineException {
        c.setAutoCommit(false);
        boolean begun = false;
        try {
            boolean locked = false;
            Set<PatchId> recorded = null;
            String qualified = null;
            try (Statement st = c.createStatement()) {
                String sql = session.settingsSql(true) + "; SELECT pg_try_advisory_xact_lock(" + DeployLock.KEY + "); "
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
                deployLock.take(c, true);
                recorded = bound.recordedIds(c);
            }
            begun = true;
            return new ColdTransaction(c, settings, statements, recorded, bound);
        } finally {
            if (!begun) {
                PatchEngine.rollbackQuietly(c);
            }
        }
    }

    /** Sends the bundle in this transaction and ends it, as {@link PatchEngine#applyCold} does. */
    public ApplyReport apply(
            PatchSet set,
            ColdBundle bundle,
            Deployment who,
            BeforeCommit beforeCommit,
            String prepareAs,
            Alongside alongside)
            throws SQLException, PatchEngineException {
        try {
            PatchEngine.requireValid(set);
        } catch (PatchEngineException e) {
            rollbackQuietly(c);
            throw e;
        }
        return run(bundle, who, beforeCommit, prepareAs, alongside);
    }

    /** {@code beforeCommit} null = a timing run: roll back at the end. An empty bundle applies nothing. */
    ApplyReport run(ColdBundle bundle, Deployment who, BeforeCommit beforeCommit, String prepareAs, Alongside alongside)
            throws SQLException, PatchEngineException {
        boolean commit = beforeCommit != null;
        boolean done = false;
        try {
            if (bundle.isEmpty()) {
                return NOTHING;
            }
            Set<Long> before = settings.grants().isEmpty() ? null : NewObjectGrants.snapshot(c);
            List<PatchFile> todo = new ArrayList<>();
            List<PatchId> skipped = new ArrayList<>();
            for (PatchFile p : bundle.patches()) {
                if (recorded.contains(p.id())) {
                    skipped.add(p.id());
                } else {
                    todo.add(p);
                }
            }
            // The patches, their marks and every revision and history row in one round trip; sequences are not
            // transactional, so a timing run does not even advance the history's id sequence. When nothing else
            // is to run in the transaction, its COMMIT goes in the same round trip, the last check made before.
            boolean scripts = !bundle.scripts().isEmpty() && !todo.isEmpty();
            boolean commitWithBundle = commit && prepareAs == null && !scripts && before == null;
            new BundleBatch(statements)
                    .run(
                            c,
                            todo,
                            todo.isEmpty() ? null : store.recordColdSql(todo, who, commit),
                            alongside,
                            commitWithBundle ? beforeCommit : null);
            List<String> followUps =
                    new ScriptReapply(statements, store).run(c, bundle.scripts(), !todo.isEmpty(), who, commit);
            if (before != null) {
                followUps.addAll(NewObjectGrants.grantNew(c, settings.grants(), before));
            }
            List<Instant> marks =
                    commitWithBundle ? committed(c, alongside) : end(c, beforeCommit, prepareAs, alongside);
            done = true;
            List<AppliedPatch> out = timed(todo, marks);
            // Logged once the transaction is over: a log line costs as much as a small statement, and
            // inside an outage every millisecond is the users'.
            logDone(skipped, out, commit);
            double total = out.stream().mapToDouble(AppliedPatch::seconds).sum();
            return new ApplyReport(List.copyOf(out), List.copyOf(skipped), total, followUps);
        } finally {
            if (!done) {
                rollbackQuietly(c);
            }
        }
    }

    /**
     * Ends the cold transaction — COMMIT, PREPARE TRANSACTION, or, for a timing run, ROLLBACK — and returns the
     * bundle's marks, taken back before it ends, or just after a COMMIT (which then ends the outage one statement
     * sooner; a mark lost then only loses the report's seconds, the history has them).
     */
    private static List<Instant> end(Connection c, BeforeCommit beforeCommit, String prepareAs, Alongside alongside)
            throws SQLException, PatchEngineException {
        if (beforeCommit == null) {
            List<Instant> marks = ApplyMarks.takeBack(c);
            c.rollback();
            return marks;
        }
        beforeCommit.check();
        if (prepareAs != null) {
            List<Instant> marks = ApplyMarks.takeBack(c);
            TwoPhase.prepare(c, prepareAs);
            return marks;
        }
        c.commit();
        return committed(c, alongside);
    }

    /** The transaction committed: {@code alongside} is told, then the marks are taken back. */
    private static List<Instant> committed(Connection c, Alongside alongside) {
        alongside.committed();
        try {
            List<Instant> marks = ApplyMarks.takeBack(c);
            c.commit();
            return marks;
        } catch (SQLException e) {
            log.warn("committed; the patches' times could not be read back: {}", e.getMessage());
            rollbackQuietly(c);
            return List.of();
        }
    }

    /** Each patch that ran, timed between its marks (0 s when they are missing). */
    private static List<AppliedPatch> timed(List<PatchFile> todo, List<Instant> marks) {
        List<AppliedPatch> out = new ArrayList<>();
        for (int i = 0; i < todo.size(); i++) {
            PatchFile p = todo.get(i);
            double secs = marks.size() > i + 1
                    ? java.time.Duration.between(marks.get(i), marks.get(i + 1)).toNanos() / 1e9
                    : 0;
            out.add(new AppliedPatch(p.id(), PatchKind.COLD, p.sha256(), secs));
        }
        return out;
    }

    private static void logDone(List<PatchId> skipped, List<AppliedPatch> applied, boolean commit) {
        skipped.forEach(id -> log.info("{} already applied; skipped", id));
        if (commit) {
            applied.forEach(a -> log.info(
                    "{} applied just now in {} seconds", a.id(), String.format(Locale.ROOT, "%.1f", a.seconds())));
        } else {
            // A timing: nothing stays applied, and the caller reports the times itself.
            applied.forEach(a -> log.debug(
                    "{} took {} seconds (rolled back)", a.id(), String.format(Locale.ROOT, "%.1f", a.seconds())));
        }
    }

    private static void rollbackQuietly(Connection c) {
        PatchEngine.rollbackQuietly(c);
    }
}
