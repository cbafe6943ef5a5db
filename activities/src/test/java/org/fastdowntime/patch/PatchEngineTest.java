package org.fastdowntime.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fastdowntime.model.ApplyReport;
import org.fastdowntime.model.Deployment;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchKind;
import org.fastdowntime.model.PatchPlan;
import org.fastdowntime.model.PatchPlanEntry;
import org.fastdowntime.model.PatchStatus;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.model.TimingReport;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class PatchEngineTest {
    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path folder;

    private static final Deployment WHO = new Deployment("test-deployment", "tester", "main", "abc123");
    private final PatchEngine engine = new PatchEngine(EngineSettings.defaults());

    @BeforeEach
    void copyDemoPatchesAndLoadBaseline() throws Exception {
        TestDatabase.copyDemoPatches(folder, name -> true);
        db.loadBaseline(folder);
    }

    private PatchSet scan() throws IOException {
        return PatchFolder.scan(folder, EngineSettings.DEFAULT_REVISION_TABLE, 15);
    }

    private PatchPlan plan() throws Exception {
        try (Connection c = db.connect()) {
            return engine.plan(c, scan(), Map.of());
        }
    }

    private ApplyReport applyCold() throws Exception {
        try (Connection c = db.connect()) {
            PatchSet set = scan();
            return engine.applyCold(c, set, engine.pending(c, set, PatchKind.COLD), WHO);
        }
    }

    private PatchPlanEntry entry(PatchPlan plan, String id) {
        return plan.patches().stream()
                .filter(e -> e.id().equals(PatchId.parse(id)))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void pendingPatchesAreTheFilesWithoutRevisionRows() throws Exception {
        PatchPlan before = plan();
        assertTrue(before.valid(), () -> before.problems().toString());
        assertEquals(
                List.of("2300-01-0", "2300-02-0", "2300-04-0", "2300-05-0", "2300-06-0"),
                before.pendingCold().stream().map(PatchId::toString).toList());
        assertEquals(List.of(PatchId.parse("2300-03-0")), before.pendingLive());

        applyCold();
        PatchPlan after = plan();
        assertTrue(after.pendingCold().isEmpty());
        assertEquals(PatchStatus.APPLIED, entry(after, "2300-05-0").status());
        assertEquals(PatchStatus.PENDING, entry(after, "2300-03-0").status());
    }

    @Test
    void planNeverWrites() throws Exception {
        db.exec("DROP TABLE LaunchpadDatabaseRevision; DROP SCHEMA fastdowntime CASCADE");
        PatchPlan p = plan();
        assertEquals(6, p.pendingCold().size() + p.pendingLive().size());
        assertEquals(0, db.count("SELECT count(*) FROM pg_class WHERE relname = 'launchpaddatabaserevision'"));
        assertEquals(0, db.count("SELECT count(*) FROM pg_namespace WHERE nspname = 'fastdowntime'"));
    }

    @Test
    void appliedPatchEditedAfterwardsIsDrift() throws Exception {
        applyCold();
        Files.writeString(
                folder.resolve("patch-2300-02-0.sql"),
                "\n-- edited\n",
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        PatchPlan p = plan();
        assertEquals(PatchStatus.DRIFTED, entry(p, "2300-02-0").status());
        assertTrue(p.problems().stream()
                .anyMatch(x -> x.type() == ProblemType.DRIFT && x.file().equals("patch-2300-02-0.sql")));
    }

    @Test
    void recordedPatchWithoutFileIsReported() throws Exception {
        applyCold();
        Files.delete(folder.resolve("patch-2300-04-0.sql"));
        PatchPlan p = plan();
        assertEquals(PatchStatus.MISSING_FILE, entry(p, "2300-04-0").status());
        assertTrue(p.problems().stream().anyMatch(x -> x.type() == ProblemType.MISSING_FILE));
    }

    @Test
    void failingThirdPatchRollsBackTheWholeWindow() throws Exception {
        Files.writeString(
                folder.resolve("patch-2300-04-0.sql"),
                "ALTER TABLE person ADD COLUMN karma integer;\n" + "ALTER TABLE no_such_table ADD COLUMN x int;\n");
        PatchEngineException e = assertThrows(PatchEngineException.class, this::applyCold);
        assertEquals(ProblemType.PATCH_FAILED, e.type());
        assertEquals("42P01", e.sqlState());
        assertTrue(e.getMessage().startsWith("patch-2300-04-0.sql:2: "), e.getMessage());
        // The two patches before it are not applied, and no revision row was kept.
        assertEquals(0, db.count("SELECT count(*) FROM pg_class WHERE relname = 'bugtag'"));
        assertEquals(
                0,
                db.count(
                        "SELECT count(*) FROM information_schema.columns WHERE column_name IN ('heat'," + " 'karma')"));
        assertEquals(1, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision"), "only the baseline's row");
        assertEquals(0, db.count("SELECT count(*) FROM fastdowntime.patch_history"));
    }

    @Test
    void reapplyingIsANoOp() throws Exception {
        ApplyReport first = applyCold();
        assertEquals(5, first.applied().size());
        assertTrue(applyCold().applied().isEmpty(), "nothing pending: nothing named, nothing applied");
        ApplyReport second;
        try (Connection c = db.connect()) {
            second = engine.applyCold(
                    c, scan(), first.applied().stream().map(a -> a.id()).toList(), WHO);
        }
        assertTrue(second.applied().isEmpty(), "named again, each is skipped inside the applying transaction");
        assertEquals(5, second.alreadyApplied().size());
        assertEquals(5, db.count("SELECT count(*) FROM fastdowntime.patch_history"));
    }

    @Test
    void everyAppliedPatchHasItsRevisionRowAndHistory() throws Exception {
        applyCold();
        // 2300-06-0 has no INSERT of its own: the engine recorded it.
        assertEquals(6, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision"));
        assertEquals(
                1,
                db.count("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE (major, minor, patch) = (2300, 6,"
                        + " 0) AND start_time <= end_time AND branch_nick = 'main' AND revid = 'abc123'"));
        // The rows the patches inserted themselves are stamped too, each with its own patch's start.
        assertEquals(
                5,
                db.count("SELECT count(DISTINCT start_time) FROM LaunchpadDatabaseRevision WHERE major = 2300"
                        + " AND minor <> 3 AND start_time < end_time AND branch_nick = 'main' AND revid = 'abc123'"));
        String sha = scan().find(PatchId.parse("2300-05-0")).orElseThrow().sha256();
        assertEquals(
                1,
                db.count("SELECT count(*) FROM fastdowntime.patch_history WHERE major = 2300 AND minor = 5"
                        + " AND sha256 = '"
                        + sha
                        + "' AND kind = 'COLD' AND deployment_id = 'test-deployment'"
                        + " AND applied_by = 'tester'"));
        // The dollar-quoted function really is whole.
        db.exec("INSERT INTO bugmessage (bug, owner, content) VALUES (1, 1, 'hello')");
    }

    @Test
    void concurrentlyPatchIsAppliedOutsideATransaction() throws Exception {
        applyCold();
        ApplyReport live;
        try (Connection c = db.connect()) {
            PatchSet set = scan();
            live = engine.applyLive(c, set, engine.pending(c, set, PatchKind.LIVE), WHO);
        }
        assertEquals(
                List.of(PatchId.parse("2300-03-0")),
                live.applied().stream().map(a -> a.id()).toList());
        assertEquals(
                1,
                db.count("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                        + " WHERE c.relname = 'bug__owner__idx' AND i.indisvalid"));
        assertEquals(1, db.count("SELECT count(*) FROM fastdowntime.patch_history WHERE minor = 3 AND kind = 'LIVE'"));
        assertTrue(plan().pendingLive().isEmpty());
    }

    @Test
    void timingLeavesTheDatabaseByteIdentical() throws Exception {
        String before = dump();
        TimingReport report;
        try (Connection c = db.connect()) {
            PatchSet set = scan();
            report = engine.timeCold(c, set, engine.pending(c, set, PatchKind.COLD));
        }
        assertEquals(5, report.patches().size());
        assertTrue(report.aggregateSeconds() > 0);
        assertEquals(2 * report.aggregateSeconds() + 600, report.monthlyEstimateSeconds(), 1e-9);
        assertEquals(before, dump());
    }

    @Test
    void slowPatchNeedsSignOff() throws Exception {
        Files.writeString(folder.resolve("patch-2300-07-0.sql"), "SELECT pg_sleep(0.3);\n");
        PatchEngine strict = new PatchEngine(EngineSettings.defaults().withPerPatchBudget(Duration.ofMillis(200)));
        try (Connection c = db.connect()) {
            TimingReport r =
                    strict.timeCold(c, scan(), List.of(PatchId.parse("2300-07-0"), PatchId.parse("2300-01-0")));
            assertTrue(r.patches().stream()
                    .filter(t -> t.id().minor() == 7)
                    .findFirst()
                    .orElseThrow()
                    .needsSignOff());
            assertFalse(r.patches().stream()
                    .filter(t -> t.id().minor() == 1)
                    .findFirst()
                    .orElseThrow()
                    .needsSignOff());
        }
    }

    @Test
    void secondDeployerFailsClearlyOnTheAdvisoryLock() throws Exception {
        PatchEngine impatient =
                new PatchEngine(EngineSettings.defaults().withTimeouts(Duration.ofMillis(300), Duration.ofMinutes(1)));
        try (Connection holder = db.connect();
                Statement st = holder.createStatement()) {
            st.execute("SET application_name = 'the other deployer'");
            st.execute("SELECT pg_advisory_lock(" + PatchEngine.DEPLOY_LOCK_KEY + ")");
            try (Connection c = db.connect()) {
                PatchSet set = scan();
                List<PatchId> all = impatient.pending(c, set, PatchKind.COLD);
                PatchEngineException e =
                        assertThrows(PatchEngineException.class, () -> impatient.applyCold(c, set, all, WHO));
                assertEquals(ProblemType.DEPLOY_LOCK_BUSY, e.type());
                assertTrue(e.getMessage().contains("the other deployer"), e.getMessage());
            }
        }
        assertEquals(1, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision"), "nothing applied");
    }

    @Test
    void patchBlockedOnALockGivesUpAfterLockTimeout() throws Exception {
        PatchEngine bounded =
                new PatchEngine(EngineSettings.defaults().withTimeouts(Duration.ofMillis(200), Duration.ofMinutes(1)));
        try (Connection reader = db.connect();
                Statement st = reader.createStatement()) {
            reader.setAutoCommit(false);
            st.execute("SELECT count(*) FROM bug"); // holds ACCESS SHARE until rollback
            try (Connection c = db.connect()) {
                PatchEngineException e = assertThrows(
                        PatchEngineException.class,
                        () -> bounded.applyCold(c, scan(), List.of(PatchId.parse("2300-02-0")), WHO));
                assertEquals("55P03", e.sqlState());
                assertTrue(e.getMessage().contains("lock_timeout"), e.getMessage());
            }
            reader.rollback();
        }
        assertEquals(0, db.count("SELECT count(*) FROM information_schema.columns WHERE column_name = 'heat'"));
    }

    @Test
    void invalidIndexLeftByAFailedConcurrentBuildIsReported() throws Exception {
        applyCold();
        try (Connection c = db.connect();
                Statement st = c.createStatement()) {
            assertThrows(
                    java.sql.SQLException.class,
                    () -> st.execute("CREATE UNIQUE INDEX CONCURRENTLY bug__owner__idx ON bug (owner)"));
        }
        PatchPlan p = plan();
        assertEquals(List.of("public.bug__owner__idx"), p.invalidIndexes());
        assertTrue(p.problems().stream().anyMatch(x -> x.type() == ProblemType.INVALID_INDEX));
        assertTrue(entry(p, "2300-03-0").lint().stream().anyMatch(f -> f.rule().equals(Linter.INVALID_INDEX_RULE)));
    }

    @Test
    void invalidPatchSetIsNeverApplied() throws Exception {
        Files.writeString(folder.resolve("patch-2300-07-0.sql"), "ALTER TABLE bug ADD COLUMN y int");
        PatchEngineException e = assertThrows(PatchEngineException.class, this::applyCold);
        assertEquals(ProblemType.MISSING_SEMICOLON, e.type());
        assertEquals(1, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision"));
    }

    private String dump() throws Exception {
        Process p = new ProcessBuilder("pg_dump", "-h", "127.0.0.1", "-U", "postgres", "--no-owner", db.name())
                .redirectErrorStream(true)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(out, StandardCharsets.UTF_8));
        String text = new String(out, StandardCharsets.UTF_8);
        assertNotNull(text);
        // pg_dump 15.14+ writes a random \restrict key per run; everything else must match byte for
        // byte.
        return text.replaceAll("(?m)^\\\\(un)?restrict .*$", "");
    }
}
