package org.fastdowntime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.fastdowntime.env.Hook;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.model.EventCode;
import org.fastdowntime.model.FastDowntimeRequest;
import org.fastdowntime.model.FastDowntimeResult;
import org.fastdowntime.model.FastDowntimeStatus;
import org.fastdowntime.model.Outcome;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchQaStatus;
import org.fastdowntime.model.QaSignal;
import org.fastdowntime.model.QaState;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Windows run exactly what was approved and rehearsed, once, all or nothing, or do not start: each case is one a
 * user met, tried end to end (the real workflow and activities, real PostgreSQL, an application session that
 * must survive whenever nothing was due).
 */
class SealedWindowsTest {
    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path patches;

    WindowFixture w;

    @BeforeEach
    void world() throws Exception {
        w = new WindowFixture(db, patches);
        Files.delete(patches.resolve("patch-2300-05-0.sql"));
        Files.delete(patches.resolve("patch-2300-06-0.sql"));
        Files.delete(patches.resolve("patch-2300-03-0.sql"));
        // Left: cold 2300-01-0 (the bugtag table), 2300-02-0, 2300-04-0.
    }

    @AfterEach
    void cleanUp() throws Exception {
        w.close();
    }

    private FastDowntimeWorkflow start(String id, String... ids) {
        FastDowntimeWorkflow window = w.newWindow(id);
        WorkflowClient.start(
                window::run,
                new FastDowntimeRequest(
                        "test", w.now().plus(Duration.ofHours(2)).toString(), List.of(ids)));
        return window;
    }

    private static QaSignal ok(String patch) {
        return new QaSignal(patch, "alice", "fine on qastaging", null);
    }

    private static String failureType(WorkflowFailedException e) {
        return assertInstanceOf(ApplicationFailure.class, e.getCause()).getType();
    }

    private static boolean alive(Connection c) {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT 1");
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Runs {@code script} with sh as the environment's quiesce hook: something that changes the folder after the seal. */
    private void afterTheSeal(String script) {
        var test = w.environments.get("test");
        w.environments.put(
                "test",
                test.toBuilder()
                        .quiesce(List.of(new Hook(List.of("sh", "-c", script), null, null, Duration.ofSeconds(10))))
                        .build());
    }

    private void replays(String id) throws Exception {
        Histories.replayAndRecord(w.client(), id);
    }

    @Test
    void aPatchThatNeedsARejectedOneIsDeferredByItsRehearsalAndNeverReachesTheOutage() throws Exception {
        Files.writeString(
                patches.resolve("patch-2300-05-0.sql"),
                "CREATE VIEW bugtag_count AS SELECT bug, count(*) FROM bugtag GROUP BY bug;\n");
        w.start(true);
        try (Connection app = w.connectAs(w.appRole)) {
            FastDowntimeWorkflow window = start("fdt-rejected-dependency", "2300-01-0", "2300-05-0");
            window.qaBad(new QaSignal("2300-01-0", "alice", null, "tags are not wanted yet"));
            window.qaOk(ok("2300-05-0"));
            FastDowntimeResult result = WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class);

            assertEquals(Outcome.SKIPPED, result.outcome(), result.message());
            assertTrue(result.message().contains("failed its rehearsal"), result.message());
            assertTrue(alive(app), "nothing was due: no session was terminated");
            assertTrue(w.gateOpen());
            FastDowntimeStatus status = w.existing("fdt-rejected-dependency").status();
            PatchQaStatus dependent = status.patches().stream()
                    .filter(p -> p.id().equals(PatchId.parse("2300-05-0")))
                    .findFirst()
                    .orElseThrow();
            assertEquals(QaState.DEFERRED, dependent.state());
            assertTrue(
                    dependent.note().contains("failed its rehearsal")
                            && dependent.note().contains("bugtag"),
                    dependent.note());
            assertNotNull(status.bundle());
            assertTrue(status.bundle().nothingToApply());
            assertTrue(status.timeline().stream().noneMatch(e -> e.code() == EventCode.GATE_CLOSED));
        }
        assertEquals(1, w.revisions(), "only the baseline");
        replays("fdt-rejected-dependency");
    }

    @Test
    void theRestOfTheBundleGoesWhenOnePatchFailsItsRehearsal() throws Exception {
        Files.writeString(
                patches.resolve("patch-2300-05-0.sql"),
                "CREATE VIEW bugtag_count AS SELECT bug, count(*) FROM bugtag GROUP BY bug;\n");
        w.start(true);
        FastDowntimeWorkflow window = start("fdt-partly-rehearsed");
        window.qaBad(new QaSignal("2300-01-0", "alice", null, "tags are not wanted yet"));
        for (String id : List.of("2300-02-0", "2300-04-0", "2300-05-0")) {
            window.qaOk(ok(id));
        }
        FastDowntimeResult result = WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class);
        assertEquals(Outcome.COMPLETED, result.outcome(), result.message());
        assertEquals(List.of(PatchId.parse("2300-02-0"), PatchId.parse("2300-04-0")), result.applied());
        assertTrue(
                result.deferred().contains(PatchId.parse("2300-05-0")),
                result.deferred().toString());
        FastDowntimeStatus status = w.existing("fdt-partly-rehearsed").status();
        assertEquals(status.bundle().ids(), result.applied(), "exactly the sealed bundle ran");
        assertTrue(
                status.bundle().rehearsal().startsWith("rehearsed on a copy of test's schema"),
                status.bundle().rehearsal());
        assertEquals(0, db.count("SELECT count(*) FROM pg_class WHERE relname = 'bugtag_count'"));
        // Copies of this test's database only: other tests rehearse on copies of theirs meanwhile.
        assertEquals(
                0,
                db.count("SELECT count(*) FROM pg_database d WHERE datname LIKE 'fdt_rehearsal_%' AND"
                        + " shobj_description(d.oid, 'pg_database') = '"
                        + org.fastdowntime.patch.ScratchCopy.commentFor(w.environments.get("test")) + "'"),
                "copies dropped");
        replays("fdt-partly-rehearsed");
    }

    @Test
    void aRepeatableScriptEditedAfterTheSealFailsBeforeTheGateCloses() throws Exception {
        Files.writeString(
                patches.resolve("trusted.sql"),
                "CREATE OR REPLACE FUNCTION trusted_one() RETURNS int" + " LANGUAGE sql AS 'SELECT 1';\n");
        afterTheSeal("echo 'CREATE TABLE nobody_approved (x int);' >> " + patches.resolve("trusted.sql"));
        w.start(true);
        try (Connection app = w.connectAs(w.appRole)) {
            FastDowntimeWorkflow window = start("fdt-script-edited", "2300-02-0");
            window.qaOk(ok("2300-02-0"));
            WorkflowFailedException e = assertThrows(
                    WorkflowFailedException.class,
                    () -> WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class));
            assertEquals("PATCH_CHANGED", failureType(e));
            assertTrue(
                    e.getCause().getMessage().contains("trusted.sql changed after the window was sealed"),
                    e.getCause().getMessage());
            assertTrue(alive(app), "the gate never closed: no session was terminated");
        }
        assertEquals(0, db.count("SELECT count(*) FROM pg_class WHERE relname = 'nobody_approved'"));
        assertEquals(1, w.revisions());
        assertTrue(w.gateOpen());
        replays("fdt-script-edited");
    }

    @Test
    void aSealedPatchThatVanishesFailsBeforeTheGateCloses() throws Exception {
        afterTheSeal("rm " + patches.resolve("patch-2300-04-0.sql"));
        w.start(true);
        try (Connection app = w.connectAs(w.appRole)) {
            FastDowntimeWorkflow window = start("fdt-vanished", "2300-02-0", "2300-04-0");
            window.qaOk(ok("2300-02-0"));
            window.qaOk(ok("2300-04-0"));
            WorkflowFailedException e = assertThrows(
                    WorkflowFailedException.class,
                    () -> WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class));
            assertEquals("PATCH_CHANGED", failureType(e));
            assertTrue(
                    e.getCause().getMessage().contains("patch-2300-04-0.sql is no longer in"),
                    e.getCause().getMessage());
            assertTrue(alive(app), "the gate never closed: no session was terminated");
        }
        assertEquals(1, w.revisions(), "nothing of the bundle ran, not even the patch still there");
        assertTrue(w.gateOpen());
    }

    @Test
    void anInvalidFileAppearingAfterApprovalFailsBeforeAnySessionIsTerminated() throws Exception {
        afterTheSeal("printf 'CREATE TABLE no_final_semicolon (x int)' > " + patches.resolve("patch-2300-09-0.sql"));
        w.start(true);
        try (Connection app = w.connectAs(w.appRole)) {
            FastDowntimeWorkflow window = start("fdt-late-bad-file", "2300-02-0");
            window.qaOk(ok("2300-02-0"));
            WorkflowFailedException e = assertThrows(
                    WorkflowFailedException.class,
                    () -> WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class));
            assertEquals("PLAN_INVALID", failureType(e));
            assertTrue(
                    e.getCause().getMessage().contains("patch-2300-09-0.sql"),
                    e.getCause().getMessage());
            assertTrue(alive(app), "the gate never closed: no session was terminated");
        }
        assertEquals(1, w.revisions());
        assertTrue(w.gateOpen());
    }

    @Test
    void aLintIgnoredCommitIsRefusedBeforeAnythingRuns() throws Exception {
        Files.writeString(patches.resolve("patch-2300-05-0.sql"), """
                CREATE TABLE half_committed (x int);
                -- lint: ignore transaction-nesting we really mean it
                COMMIT;
                """);
        Files.writeString(patches.resolve("patch-2300-06-0.sql"), "ALTER TABLE no_such_table ADD COLUMN x int;\n");
        w.start(true);
        FastDowntimeWorkflow window = start("fdt-commit", "2300-05-0", "2300-06-0");
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class));
        assertEquals("PLAN_INVALID", failureType(e));
        assertTrue(
                e.getCause().getMessage().contains("patch-2300-05-0.sql:3"),
                e.getCause().getMessage());
        assertEquals(0, db.count("SELECT count(*) FROM pg_class WHERE relname = 'half_committed'"));
    }

    @Test
    void aPatchThatChangesSearchPathLeavesTheBookkeepingWhereItWas() throws Exception {
        db.exec("CREATE SCHEMA other");
        Files.writeString(patches.resolve("patch-2300-05-0.sql"), """
                SET search_path = other;
                CREATE TABLE in_other (x int);
                """);
        w.start(true);
        FastDowntimeWorkflow window = start("fdt-search-path", "2300-05-0", "2300-02-0");
        window.qaOk(ok("2300-05-0"));
        window.qaOk(ok("2300-02-0"));
        FastDowntimeResult result = WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class);
        assertEquals(Outcome.COMPLETED, result.outcome(), result.message());
        assertEquals(
                1, db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'other' AND tablename = 'in_other'"));
        assertEquals(3, w.revisions(), "the baseline, 2300-02-0 and 2300-05-0, in the revision table it began with");
    }

    @Test
    void aSecondWindowForTheEnvironmentIsRefusedWithTheIdOfTheRunningOne() throws Exception {
        w.start(true);
        FastDowntimeWorkflow first = start("fdt-first", "2300-02-0");
        waitForStage("fdt-first", "AWAITING_QA");
        FastDowntimeWorkflow second = w.newWindow("fdt-second");
        WorkflowClient.start(second::run, new FastDowntimeRequest("test", null, List.of("2300-02-0")));
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(second).getResult(FastDowntimeResult.class));
        assertEquals("WINDOW_BUSY", failureType(e));
        assertTrue(e.getCause().getMessage().contains("fdt-first"), e.getCause().getMessage());

        first.qaOk(ok("2300-02-0"));
        FastDowntimeResult done = WorkflowStub.fromTyped(first).getResult(FastDowntimeResult.class);
        assertEquals(Outcome.COMPLETED, done.outcome(), done.message());
        FastDowntimeWorkflow third = start("fdt-third", "2300-04-0");
        third.qaOk(ok("2300-04-0"));
        assertEquals(
                Outcome.COMPLETED,
                WorkflowStub.fromTyped(third)
                        .getResult(FastDowntimeResult.class)
                        .outcome(),
                "the claim went back when the first window ended");
        replays("fdt-first");
    }

    private void waitForStage(String id, String stage) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!w.existing(id).status().stage().name().equals(stage)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(id + " never reached " + stage);
            }
            Thread.sleep(50);
        }
    }
}
