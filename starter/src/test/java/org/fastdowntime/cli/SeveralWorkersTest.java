package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three worker JVMs polling one task queue of the real Temporal server; the one that runs the outage is killed with
 * SIGKILL while the gate is closed, and another reopens it (the workflow's compensation) within the heartbeat
 * timeout + 5 s. Nothing is applied.
 */
class SeveralWorkersTest {
    static final int HEARTBEAT_SECONDS = 3;

    @RegisterExtension
    static final RealTemporal temporal = RealTemporal.headless();

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    final List<WorkerProcess> workers = new ArrayList<>();

    @AfterEach
    void stopWorkers() throws Exception {
        for (WorkerProcess w : workers) {
            w.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    boolean gateOpen() throws Exception {
        try (Connection c = TestDatabase.admin();
                Statement st = c.createStatement();
                var rs = st.executeQuery("SELECT datallowconn FROM pg_database WHERE datname = '" + db.name() + "'")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    @Test
    void theWorkerRunningTheOutageKilledAnotherReopensTheGate() throws Exception {
        Path folder = db.demoFolder(dir, n -> n.startsWith("demo-") || n.contains("-01-") || n.contains("-02-"));
        Path config = TestWorkerYaml.of("many", db, folder)
                .taskQueue("many")
                .budget("heartbeatTimeout", HEARTBEAT_SECONDS + "s")
                .budget("outage", "1m")
                .write(dir.resolve("worker.yaml"));
        Path marks = Files.createDirectories(dir.resolve("marks"));
        for (int i = 0; i < 3; i++) {
            // Whichever worker gets the outage freezes with the gate closed and writes its pid.
            workers.add(WorkerProcess.start(
                    config,
                    temporal.target(),
                    Map.of("FASTDOWNTIME_FAILPOINT", "gate-closed", "FASTDOWNTIME_FAILPOINT_DIR", marks.toString()),
                    dir.resolve("worker-" + i + ".log")));
        }
        for (WorkerProcess w : workers) {
            w.awaitPolling();
        }
        String id = "fast-downtime-many";
        RealTemporal.Result started = temporal.temporal(
                "workflow",
                "start",
                "--task-queue",
                "many",
                "--type",
                "FastDowntime",
                "--workflow-id",
                id,
                "--input",
                "{\"environment\":\"many\",\"windowStart\":\"" + Instant.now().plusSeconds(8)
                        + "\",\"patches\":[\"2300-01-0\",\"2300-02-0\"]}");
        assertEquals(0, started.exit(), started.out());
        for (String p : List.of("2300-01-0", "2300-02-0")) {
            RealTemporal.Result ok = temporal.temporal(
                    "workflow",
                    "signal",
                    "--workflow-id",
                    id,
                    "--name",
                    "qaOk",
                    "--input",
                    "{\"patch\":\"" + p + "\",\"by\":\"alice\"}");
            assertEquals(0, ok.exit(), ok.out());
        }
        Path reached = marks.resolve("gate-closed.reached");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(reached) || Files.readString(reached).isBlank()) {
            assertTrue(System.nanoTime() < deadline, "a worker reaches the closed gate");
            Thread.sleep(50);
        }
        assertTrue(!gateOpen(), "the gate is closed");
        long pid = Long.parseLong(Files.readString(reached).strip());
        Process runner = workers.stream()
                .map(WorkerProcess::process)
                .filter(p -> p.pid() == pid)
                .findFirst()
                .orElseThrow();
        runner.destroyForcibly(); // SIGKILL
        long killed = System.nanoTime();
        assertTrue(runner.waitFor(10, TimeUnit.SECONDS));
        while (!gateOpen()) {
            assertTrue((System.nanoTime() - killed) / 1e9 < HEARTBEAT_SECONDS + 5, "gate open within 8 s of the kill");
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - killed) / 1e9;

        JsonNode status = null;
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (status == null || !status.get("stage").asText().equals("FAILED")) {
            assertTrue(System.nanoTime() < deadline, "the window ends: " + status);
            status = temporal.tryQuery(id, "status");
            Thread.sleep(200);
        }
        assertEquals("OUTAGE_LOST", status.get("failureType").asText(), status.toString());
        try (Connection c = java.sql.DriverManager.getConnection(db.url());
                Statement st = c.createStatement();
                var rs = st.executeQuery(
                        "SELECT count(*) FROM LaunchpadDatabaseRevision WHERE major = 2300 AND minor IN (1, 2)")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "nothing applied");
        }
        System.out.printf(
                Locale.ROOT,
                "three workers on the real server, the outage's killed: gate open %.1f s after the kill%n",
                seconds);
    }
}
