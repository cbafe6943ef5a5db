package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.model.FastDowntimeRequest;
import org.fastdowntime.model.QaSignal;
import org.fastdowntime.pgbouncer.LocalPgBouncer;
import org.fastdowntime.pgbouncer.PgBouncerAdmin;
import org.fastdowntime.pgbouncer.PgBouncerSettings;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pgbouncer gate's fallback through a real process death: a transaction outlives PAUSE's wait, so the gate
 * falls back to DISABLE + KILL; the worker is killed with SIGKILL at the kick; the window's compensation, on another
 * worker with a gate of its own that never saw the DISABLE, leaves the pgbouncer database enabled and resumed.
 */
class PgBouncerFaultTest {
    private static final Duration HEARTBEAT = Duration.ofSeconds(3);

    @RegisterExtension
    static final FaultWorkers temporal = new FaultWorkers("pf");

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    LocalPgBouncer bouncer;
    String appRole;
    final List<Process> workers = new ArrayList<>();

    @BeforeEach
    void world() throws Exception {
        Path folder = dir.resolve("patches");
        Files.createDirectories(folder);
        TestDatabase.copyDemoPatches(folder, name -> name.startsWith("demo-") || name.contains("-01-"));
        db.loadBaseline(folder);
        appRole = "fdt_pf_" + db.name().substring(9);
        try (Connection c = TestDatabase.admin();
                Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + appRole + " LOGIN");
            st.execute("GRANT CONNECT ON DATABASE " + db.name() + " TO " + appRole);
        }
        bouncer = LocalPgBouncer.start(
                Map.of("app", "host=127.0.0.1 port=5432 dbname=" + db.name()), List.of("postgres", appRole), 5);
        TestWorkerYaml.of("pf", db, folder)
                .taskQueue(queue())
                .budget("heartbeatTimeout", HEARTBEAT.toSeconds() + "s")
                .budget("outage", "1m")
                .environmentLines("gate: pgbouncer\n" + "pgbouncer:\n" + "  host: 127.0.0.1\n" + "  port: "
                        + bouncer.port() + "\n" + "  adminUser: " + bouncer.adminUser() + "\n"
                        + "  databases: [app]\n" + "  pauseTimeout: 1s\n")
                .write(dir.resolve("worker.yaml"));
    }

    private String queue() {
        return "pgbouncer-faults-" + db.name();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : workers) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        bouncer.close();
        TestDatabase.drop(db.name());
        try (Connection c = TestDatabase.admin();
                Statement st = c.createStatement()) {
            st.execute("DROP ROLE IF EXISTS " + appRole);
        }
    }

    private Process worker(String failPoint) throws Exception {
        Process p = FaultWorkers.start(dir, workers.size(), temporal.target(), failPoint, null);
        workers.add(p);
        return p;
    }

    private Map<String, String> pooled() throws Exception {
        return new PgBouncerAdmin(new PgBouncerSettings(
                        "127.0.0.1", bouncer.port(), bouncer.adminUser(), null, List.of("app"), Duration.ofSeconds(5)))
                .show("DATABASES").stream()
                        .filter(r -> "app".equals(r.get("name")))
                        .findFirst()
                        .orElseThrow();
    }

    private void await(String what, Duration limit, java.util.concurrent.Callable<Boolean> check) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!check.call()) {
            assertTrue(
                    System.nanoTime() < deadline,
                    what + " within " + limit + "; worker log:\n"
                            + (Files.exists(dir.resolve("worker-0.log"))
                                    ? Files.readString(dir.resolve("worker-0.log"))
                                    : ""));
            Thread.sleep(50);
        }
    }

    @Test
    void aWorkerKilledAfterTheDisableFallbackLeavesPgBouncerEnabledAndResumed() throws Exception {
        Process first = worker("kick");
        await(
                "the first worker polling",
                Duration.ofSeconds(60),
                () -> Files.exists(dir.resolve("worker-0.log"))
                        && Files.readString(dir.resolve("worker-0.log")).contains("Worker polling"));
        // A transaction in flight through pgbouncer that PAUSE would wait for: the gate falls back to DISABLE + KILL.
        Connection busy = DriverManager.getConnection(bouncer.url("app", appRole));
        busy.setAutoCommit(false);
        try (Statement st = busy.createStatement()) {
            st.execute("SELECT 1");
        }
        FastDowntimeWorkflow w = temporal.client()
                .newWorkflowStub(
                        FastDowntimeWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setTaskQueue(queue())
                                .setWorkflowId("pf-" + db.name())
                                .build());
        WorkflowClient.start(
                w::run,
                new FastDowntimeRequest("pf", Instant.now().plusSeconds(8).toString(), List.of("2300-01-0")));
        w.qaOk(new QaSignal("2300-01-0", "alice", "pgbouncer fault", null));
        await("the kick reached", Duration.ofSeconds(60), () -> Files.exists(dir.resolve("kick.reached")));
        assertEquals("1", pooled().get("disabled"), "the gate fell back to DISABLE: " + pooled());
        worker(null);
        await(
                "the second worker polling",
                Duration.ofSeconds(60),
                () -> Files.exists(dir.resolve("worker-1.log"))
                        && Files.readString(dir.resolve("worker-1.log")).contains("Worker polling"));

        first.destroyForcibly(); // SIGKILL
        long killed = System.nanoTime();
        assertTrue(first.waitFor(10, TimeUnit.SECONDS));
        await(
                "pgbouncer enabled and resumed",
                HEARTBEAT.plusSeconds(15),
                () -> "0".equals(pooled().get("disabled")) && "0".equals(pooled().get("paused")));
        double seconds = (System.nanoTime() - killed) / 1e9;
        assertTrue(db.gateOpen(), "the native gate is open too");
        System.out.printf(
                java.util.Locale.ROOT,
                "pgbouncer fault: SIGKILL at kick after DISABLE -> enabled and resumed %.1f s after" + " the kill%n",
                seconds);
        busy.close();
    }
}
