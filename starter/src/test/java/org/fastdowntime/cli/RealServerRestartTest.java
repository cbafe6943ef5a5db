package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Temporal server killed with SIGKILL and started again on the same SQLite file, once while a window waits
 * for QA and once while its outage runs: the window ends done or failed with a type, the gate is open again soon
 * after the server is back, and the database is fully patched or untouched.
 */
class RealServerRestartTest {
    static final int HEARTBEAT_SECONDS = 3;

    @RegisterExtension
    static final RealTemporal temporal = RealTemporal.headless();

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    WorkerProcess worker;
    String appRole;

    @BeforeEach
    void world() throws Exception {
        Path folder = db.demoFolder(dir, n -> n.startsWith("demo-") || n.contains("-01-"));
        // Long enough to kill the server while the outage's transaction runs.
        Files.writeString(folder.resolve("patch-2300-07-0.sql"), "SELECT pg_sleep(6) FROM bug LIMIT 1;\n");
        Path config = TestWorkerYaml.of("rs", db, folder)
                .taskQueue("restart")
                .budget("heartbeatTimeout", HEARTBEAT_SECONDS + "s")
                .budget("outage", "1m")
                .write(dir.resolve("worker.yaml"));
        worker = WorkerProcess.start(config, temporal.target(), dir.resolve("worker.log"));
        awaitTrue(
                "the worker polls",
                60,
                () -> Files.readString(dir.resolve("worker.log")).contains("Worker polling"));
    }

    @AfterEach
    void stopWorker() throws Exception {
        worker.close();
    }

    interface Check {
        boolean ok() throws Exception;
    }

    void awaitTrue(String what, int seconds, Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!check.ok()) {
            assertTrue(
                    System.nanoTime() < deadline,
                    what + " within " + seconds + " s; worker log:\n" + Files.readString(dir.resolve("worker.log")));
            Thread.sleep(100);
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

    int revisions(int minor) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url());
                Statement st = c.createStatement();
                var rs = st.executeQuery(
                        "SELECT count(*) FROM LaunchpadDatabaseRevision WHERE major = 2300 AND minor = " + minor)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    String start(String id, int inSeconds, List<String> patches) throws Exception {
        String list = String.join("\",\"", patches);
        RealTemporal.Result r = temporal.temporal(
                "workflow",
                "start",
                "--task-queue",
                "restart",
                "--type",
                "FastDowntime",
                "--workflow-id",
                id,
                "--input",
                "{\"environment\":\"rs\",\"windowStart\":\"" + Instant.now().plusSeconds(inSeconds)
                        + "\",\"patches\":[\"" + list + "\"]}");
        assertEquals(0, r.exit(), r.out());
        return id;
    }

    void approve(String id, String patch) throws Exception {
        RealTemporal.Result r = temporal.temporal(
                "workflow",
                "signal",
                "--workflow-id",
                id,
                "--name",
                "qaOk",
                "--input",
                "{\"patch\":\"" + patch + "\",\"by\":\"alice\"}");
        assertEquals(0, r.exit(), r.out());
    }

    JsonNode statusWhenEnded(String id) throws Exception {
        JsonNode[] status = new JsonNode[1];
        awaitTrue("the window ends", 90, () -> {
            status[0] = temporal.tryQuery(id, "status");
            return status[0] != null
                    && List.of("DONE", "FAILED", "ABORTED", "SKIPPED")
                            .contains(status[0].get("stage").asText());
        });
        return status[0];
    }

    @Test
    void theServerKilledWhileTheWindowWaitsForQaComesBackAndTheWindowCompletes() throws Exception {
        String id = start("fast-downtime-rs-qa", 20, List.of("2300-01-0"));
        awaitTrue(
                "the window waits for QA",
                30,
                () -> temporal.temporal("workflow", "query", "--workflow-id", id, "--type", "status")
                        .out()
                        .contains("AWAITING_QA"));
        temporal.kill();
        Thread.sleep(2000);
        temporal.startAgain();
        approve(id, "2300-01-0");
        JsonNode status = statusWhenEnded(id);
        assertEquals("DONE", status.get("stage").asText(), status.toString());
        assertEquals(1, revisions(1));
        assertTrue(gateOpen());
    }

    @Test
    void theServerKilledDuringTheOutageLeavesTheGateOpenAndNothingHalfApplied() throws Exception {
        String id = start("fast-downtime-rs-outage", 8, List.of("2300-01-0", "2300-07-0"));
        approve(id, "2300-01-0");
        approve(id, "2300-07-0");
        awaitTrue("the outage runs its slow patch", 60, () -> !gateOpen());
        Thread.sleep(500);
        temporal.kill();
        Thread.sleep(2000);
        temporal.startAgain();
        long back = System.nanoTime();
        awaitTrue("the gate is open again", HEARTBEAT_SECONDS + 5 + 10, this::gateOpen);
        double seconds = (System.nanoTime() - back) / 1e9;
        JsonNode status = statusWhenEnded(id);
        String stage = status.get("stage").asText();
        assertTrue(stage.equals("DONE") || stage.equals("FAILED"), status.toString());
        if (stage.equals("FAILED")) {
            assertTrue(status.get("failureType").isTextual(), "a defined failure type: " + status);
        }
        int applied = revisions(1) + revisions(7);
        assertTrue(applied == 0 || applied == 2, "all or nothing: " + applied + " of 2");
        assertEquals(stage.equals("DONE") ? 2 : applied, applied);
        assertTrue(seconds <= HEARTBEAT_SECONDS + 5, "the gate opened " + seconds + " s after the server was back");
        System.out.printf(
                Locale.ROOT,
                "real server killed during the outage: window %s, gate open %.1f s after the server was back, %s%n",
                stage
                        + (stage.equals("FAILED")
                                ? " (" + status.get("failureType").asText() + ")"
                                : ""),
                seconds,
                applied == 2 ? "patched" : "untouched");
    }
}
