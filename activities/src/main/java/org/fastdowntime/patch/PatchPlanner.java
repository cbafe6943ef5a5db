package org.fastdowntime.patch;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.fastdowntime.model.LintFinding;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchKind;
import org.fastdowntime.model.PatchPlan;
import org.fastdowntime.model.PatchPlanEntry;
import org.fastdowntime.model.PatchStatus;
import org.fastdowntime.model.Problem;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.model.ScriptPlanEntry;
import org.fastdowntime.model.Severity;

/**
 * The dry run of a folder against one database: each patch's status (pending, applied, drifted, missing its
 * file), INVALID indexes, what the repeatable scripts and grants would do, and every problem, read in a READ ONLY
 * transaction ({@link PatchEngine#plan}).
 */
final class PatchPlanner {
    private final EngineSettings settings;
    private final RevisionStore store;

    PatchPlanner(EngineSettings settings, RevisionStore store) {
        this.settings = settings;
        this.store = store;
    }

    /** The dry run, in a READ ONLY transaction the caller opened. */
    PatchPlan plan(Connection c, PatchSet set, Map<String, Double> stagingSeconds) throws SQLException {
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
            PatchStatus status = status(p, applied, sums, problems);
            if (status == PatchStatus.PENDING) {
                (p.kind() == PatchKind.COLD ? pendingCold : pendingLive).add(p.id());
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
        List<ScriptPlanEntry> scripts = scripts(c, set);
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

    /** A file's status against what the database recorded; a drifted one adds its problem. */
    private static PatchStatus status(
            PatchFile p, Set<PatchId> applied, Map<PatchId, String> sums, List<Problem> problems) {
        if (!applied.contains(p.id())) {
            return PatchStatus.PENDING;
        }
        if (sums.containsKey(p.id()) && !sums.get(p.id()).equals(p.sha256())) {
            problems.add(Problem.of(
                    ProblemType.DRIFT,
                    p.fileName(),
                    "applied with SHA-256 " + sums.get(p.id()) + ", but the file now has " + p.sha256()
                            + "; an applied patch must never change (write a new patch instead)"));
            return PatchStatus.DRIFTED;
        }
        return PatchStatus.APPLIED;
    }

    /** Each repeatable script: unchanged since it last ran, or to run in the next window. */
    private List<ScriptPlanEntry> scripts(Connection c, PatchSet set) throws SQLException {
        Map<String, String> lastScripts = store.lastScriptChecksums(c);
        return set.scripts().stream()
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
    static List<String> invalidIndexes(Connection c) throws SQLException {
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
}
