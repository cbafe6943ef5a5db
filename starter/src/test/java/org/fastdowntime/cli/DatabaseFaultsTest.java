package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.model.FastDowntimeRequest;
import org.fastdowntime.model.QaSignal;
import org.fastdowntime.sandbox.LocalTemporal;
import org.fastdowntime.sandbox.ThrowawayCluster;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL itself failing during a window, on a cluster of the test's own: restarted mid-outage,
 * refusing connections at preflight. Whatever happens, the gate ends open and the database is
 * patched in full or untouched.
 */
class DatabaseFaultsTest {
    @TempDir
    Path folder;

    ThrowawayCluster cluster;
    LocalTemporal temporal;
    WorkflowClient client;
    String url;
    static final String QUEUE = "db-faults";

    @BeforeEach
    void world() throws Exception {
        cluster = ThrowawayCluster.start();
        TestDatabase.copyDemoPatches(folder, name -> name.startsWith("demo-") || name.contains("-01-"));
        try (Connection c = DriverManager.getConnection(cluster.url("postgres"));
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE faults");
        }
        url = cluster.url("faults");
        try (Connection c = DriverManager.getConnection(url)) {
            new org.fastdowntime.patch.PatchEngine(org.fastdowntime.patch.EngineSettings.defaults())
                    .loadBaseline(c, org.fastdowntime.patch.PatchFolder.scan(folder, "LaunchpadDatabaseRevision", 15));
        }
        org.fastdowntime.env.Budgets budgets = org.fastdowntime.env.Budgets.defaults()
                .withLeads(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMillis(500))
                .withHeartbeatTimeout(Duration.ofSeconds(3));
        EnvironmentSettings env = EnvironmentSettings.builder("faults", url.replaceAll("\\?.*$", ""))
                .patches(folder)
                .approvers(List.of("alice"))
                .budgets(budgets)
                .build();
        temporal = LocalTemporal.start(QUEUE, Map.of("faults", env));
        client = temporal.client();
    }

    @AfterEach
    void stop() {
        temporal.close();
        cluster.close();
    }

    private FastDowntimeWorkflow window(String id, Duration lead) {
        FastDowntimeWorkflow w = client.newWorkflowStub(
                FastDowntimeWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setTaskQueue(QUEUE)
                        .setWorkflowId(id)
                        .build());
        WorkflowClient.start(
                w::run,
                new FastDowntimeRequest("faults", Instant.now().plus(lead).toString(), List.of()));
        w.qaOk(new QaSignal("2300-01-0", "alice", "checked", null));
        return w;
    }

    private String failureOf(FastDowntimeWorkflow w, StringBuilder message) {
        return WindowOutcome.of(w, message);
    }

    /** A count from the cluster's maintenance database. */
    private long onServer(String sql) throws Exception {
        return count(cluster.url("postgres"), sql);
    }

    /** A count from the test's database. */
    private long inDatabase(String sql) throws Exception {
        return count(url, sql);
    }

    private static long count(String jdbcUrl, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private boolean gateOpen() throws Exception {
        return onServer("SELECT datallowconn::int FROM pg_database WHERE datname = 'faults'") == 1;
    }

    private void awaitGate(boolean open, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (gateOpen() != open) {
            assertTrue(System.nanoTime() < deadline, "gate never " + (open ? "opened" : "closed"));
            Thread.sleep(10);
        }
    }

    @Test
    void postgresRestartedDuringTheOutageLeavesTheGateOpenAndNothingHalfDone() throws Exception {
        Files.writeString(
                folder.resolve("patch-2300-01-0.sql"),
                "CREATE TABLE bugtag (id int);\nSELECT pg_sleep(5) FROM bug LIMIT 1;\n\n"
                        + "INSERT INTO LaunchpadDatabaseRevision VALUES (2300, 1, 0);\n");
        FastDowntimeWorkflow w = window("faults-restart", Duration.ofSeconds(5));
        awaitGate(false, Duration.ofSeconds(30));
        Thread.sleep(500); // the patch is sleeping inside its transaction
        cluster.stop();
        cluster.startServer();
        StringBuilder message = new StringBuilder();
        String outcome = failureOf(w, message);
        awaitGate(true, Duration.ofSeconds(20));
        assertTrue(outcome.equals("DATABASE_UNREACHABLE") || outcome.equals("OUTAGE_LOST"), outcome + ": " + message);
        System.out.println("database faults: restart mid-outage -> " + outcome + ": " + message);
        assertEquals(0, inDatabase("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 1"), "untouched");
        assertEquals(0, inDatabase("SELECT count(*) FROM pg_tables WHERE tablename = 'bugtag'"));
    }

    @Test
    void connectionsRefusedAtPreflightEndTheWindowBeforeTheGateCloses() throws Exception {
        FastDowntimeWorkflow w = window("faults-refused", Duration.ofSeconds(6));
        // Down from QA's end through the preflight (1 s before the window).
        Thread.sleep(2500);
        cluster.stop();
        StringBuilder message = new StringBuilder();
        String outcome;
        try {
            outcome = failureOf(w, message);
        } finally {
            cluster.startServer();
        }
        assertEquals("DATABASE_UNREACHABLE", outcome, message.toString());
        System.out.println("database faults: refused at preflight -> " + outcome + ": " + message);
        assertTrue(message.toString().contains("Preflight failed, nothing was changed"), message.toString());
        assertTrue(gateOpen());
        assertEquals(0, inDatabase("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 1"));
    }
}
