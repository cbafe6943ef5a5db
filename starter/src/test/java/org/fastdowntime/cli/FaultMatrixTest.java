package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.model.FastDowntimeRequest;
import org.fastdowntime.model.QaSignal;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real process deaths: the worker runs as its own JVM against the embedded Temporal service and is
 * killed with SIGKILL at each point of a fast downtime; a new worker process is started. Whatever
 * the point, the gate ends open within the heartbeat timeout + 5 s of the kill, the database is
 * fully patched (with its revision rows) or untouched, and the workflow ends done or failed with a
 * failure type. SIGTERM during the outage finishes it.
 */
class FaultMatrixTest {
    private static final Duration HEARTBEAT = Duration.ofSeconds(3);

    @RegisterExtension
    static final FaultWorkers temporal = new FaultWorkers("fm");

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    Path folder;
    String queue;
    String appRole;
    Connection app;
    final List<Process> workers = new ArrayList<>();

    @BeforeEach
    void world() throws Exception {
        folder = dir.resolve("patches");
        Files.createDirectories(folder);
        TestDatabase.copyDemoPatches(
                folder, name -> name.startsWith("demo-") || name.contains("-01-") || name.contains("-02-"));
        db.loadBaseline(folder);
        // Blocks in apply for as long as the test needs; the engine records its revision.
        Files.writeString(folder.resolve("patch-2300-07-0.sql"), "SELECT pg_sleep(30) FROM bug LIMIT 1;\n");
        queue = "faults-" + db.name();
        appRole = "fdt_fm_" + db.name().substring(9);
        try (Connection c = TestDatabase.admin();
                Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + appRole + " LOGIN");
            st.execute("GRANT CONNECT ON DATABASE " + db.name() + " TO " + appRole);
        }
        // An application session, for the kick to end.
        app = DriverManager.getConnection(db.url().replace("user=postgres", "user=" + appRole));
        TestWorkerYaml.of("fm", db, folder)
                .taskQueue(queue)
                .budget("heartbeatTimeout", HEARTBEAT.toSeconds() + "s")
                .budget("outage", "1m")
                .write(dir.resolve("worker.yaml"));
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : workers) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        app.close();
        TestDatabase.drop(db.name());
        try (Connection c = TestDatabase.admin();
                Statement st = c.createStatement()) {
            st.execute("DROP ROLE IF EXISTS " + appRole);
        }
    }

    private Process worker(String failPoint, String hold) throws Exception {
        Process p = FaultWorkers.start(dir, workers.size(), temporal.target(), failPoint, hold);
        workers.add(p);
        return p;
    }

    private FastDowntimeWorkflow startWindow(String id, List<String> patches) {
        FastDowntimeWorkflow w = temporal.client()
                .newWorkflowStub(
                        FastDowntimeWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setTaskQueue(queue)
                                .setWorkflowId(id)
                                .build());
        WorkflowClient.start(
                w::run,
                new FastDowntimeRequest("fm", Instant.now().plusSeconds(8).toString(), patches));
        for (String p : patches) {
            w.qaOk(new QaSignal(p, "alice", "fault matrix", null));
        }
        return w;
    }

    private boolean reached(String point) throws Exception {
        if (point.equals("apply")) {
            try (Connection c = TestDatabase.admin();
                    Statement st = c.createStatement();
                    var rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                            + " AND query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()")) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
        return Files.exists(dir.resolve(point + ".reached"));
    }

    private void await(String what, Duration limit, Check check) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!check.ok()) {
            assertTrue(System.nanoTime() < deadline, what + " within " + limit + "; worker log:\n" + log(0));
            Thread.sleep(20);
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    /** Whether worker {@code n} has started polling its task queue. */
    private boolean polling(int n) throws Exception {
        Path f = dir.resolve("worker-" + n + ".log");
        return Files.exists(f) && Files.readString(f).contains("Worker polling");
    }

    private String log(int n) throws Exception {
        Path f = dir.resolve("worker-" + n + ".log");
        if (!Files.exists(f)) {
            return "(none)";
        }
        List<String> lines = Files.readAllLines(f);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private boolean gateOpen() throws Exception {
        return db.gateOpen();
    }

    private String outcome(FastDowntimeWorkflow w, StringBuilder message) {
        return WindowOutcome.of(w, message);
    }

    /**
     * Revision rows plus history rows of these patches (the history table exists once a window
     * committed).
     */
    private long rowsFor(int... minors) throws Exception {
        StringBuilder in = new StringBuilder();
        for (int m : minors) {
            in.append(in.length() == 0 ? "" : ",").append(m);
        }
        long history = db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'fastdowntime'"
                                + " AND tablename = 'patch_history'")
                        == 0
                ? 0
                : db.count(
                        "SELECT count(*) FROM fastdowntime.patch_history WHERE major = 2300 AND minor IN (" + in + ")");
        return db.count("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE major = 2300 AND minor IN (" + in + ")")
                + history;
    }

    @ParameterizedTest(name = "SIGKILL at {0}")
    @ValueSource(
            strings = {"before-gate", "gate-closed", "kick", "apply", "before-commit", "after-commit", "post-checks"})
    void aWorkerKilledAtAnyPointLeavesTheGateOpenAndTheDatabaseWholeOrUntouched(String point) throws Exception {
        List<String> patches =
                point.equals("apply") ? List.of("2300-01-0", "2300-07-0") : List.of("2300-01-0", "2300-02-0");
        int[] minors = point.equals("apply") ? new int[] {1, 7} : new int[] {1, 2};
        Process first = worker(point.equals("apply") ? null : point, null);
        FastDowntimeWorkflow w = startWindow("fm-" + point + "-" + db.name(), patches);
        await("fail point " + point + " reached", Duration.ofSeconds(60), () -> reached(point));
        // As in production, another worker is already polling when this one dies: what is measured is
        // how long the outage outlives its worker, not how long a JVM takes to start.
        worker(null, null);
        await("the second worker polling", Duration.ofSeconds(60), () -> polling(1));

        first.destroyForcibly(); // SIGKILL
        long killed = System.nanoTime();
        assertTrue(first.waitFor(10, TimeUnit.SECONDS));

        await("gate open again", HEARTBEAT.plusSeconds(5).plusSeconds(10), this::gateOpen);
        double reopenedAfter = (System.nanoTime() - killed) / 1e9;
        StringBuilder message = new StringBuilder();
        String outcome = outcome(w, message);
        assertTrue(gateOpen());

        boolean patched =
                db.count("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE major = 2300 AND minor = " + minors[0])
                        == 1;
        assertEquals(
                patched ? 2L * minors.length : 0,
                rowsFor(minors),
                "all of the window's patches with their revision and history rows, or none");
        assertEquals(
                patched ? 1 : 0,
                db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'bugtag'"),
                "the schema matches the revision rows");

        boolean shouldBePatched = point.equals("after-commit") || point.equals("post-checks");
        assertEquals(shouldBePatched, patched, point + ": " + outcome + " " + message);
        if (point.equals("post-checks")) {
            assertEquals("COMPLETED", outcome, "the post-checks are retried on the new worker: " + message);
        } else {
            assertEquals("OUTAGE_LOST", outcome, message.toString());
            assertTrue(message.toString().contains(patched ? "lost after COMMIT" : "rolled back"), message.toString());
            if (patched) { // the status and the post-checks know the patches are in
                org.fastdowntime.model.FastDowntimeStatus status = w.status();
                assertTrue(
                        status.patches().stream().allMatch(p -> p.state() == org.fastdowntime.model.QaState.APPLIED),
                        status.patches().toString());
                assertTrue(
                        status.timeline().stream().anyMatch(e -> e.stage().equals("POST_CHECKS")),
                        "the post-checks ran: " + status.timeline());
            }
        }
        System.out.printf(
                Locale.ROOT,
                "fault matrix: SIGKILL at %-13s -> %-11s gate open %.1f s after the kill, %s%n",
                point,
                outcome,
                reopenedAfter,
                patched ? "patched" : "untouched");
        if (!point.equals("post-checks")) {
            assertTrue(
                    reopenedAfter <= HEARTBEAT.toSeconds() + 5,
                    "the outage ended within the heartbeat timeout + 5 s" + " of the kill: " + reopenedAfter + " s");
        }
    }

    @org.junit.jupiter.api.Test
    void sigtermDuringTheOutageFinishesItBeforeTheWorkerExits() throws Exception {
        Process first = worker("gate-closed", "3s");
        FastDowntimeWorkflow w = startWindow("fm-sigterm-" + db.name(), List.of("2300-01-0", "2300-02-0"));
        await("fail point gate-closed reached", Duration.ofSeconds(60), () -> reached("gate-closed"));
        assertFalse(gateOpen(), "mid-outage");
        first.destroy(); // SIGTERM: graceful shutdown
        worker(null, null);
        assertTrue(first.waitFor(60, TimeUnit.SECONDS), "the worker exited after finishing its outage");
        assertTrue(gateOpen(), "the outage was finished by the worker that was told to stop");
        StringBuilder message = new StringBuilder();
        assertEquals("COMPLETED", outcome(w, message), message.toString());
        assertEquals(4, rowsFor(1, 2), "both patches, with revision and history rows");
        assertTrue(log(0).contains("Shutting down: finishing running activities"), log(0));
    }
}
