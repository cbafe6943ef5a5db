package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.env.StandbySettings;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.model.FastDowntimeRequest;
import org.fastdowntime.model.FastDowntimeStatus;
import org.fastdowntime.model.QaSignal;
import org.fastdowntime.model.StandbyCatchUp;
import org.fastdowntime.sandbox.LocalTemporal;
import org.fastdowntime.sandbox.ThrowawayCluster;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A primary with two real streaming standbys (pg_basebackup -R from the installed binaries, each on
 * its own port), and a real worker running fast windows on it: the preflight refuses a missing
 * standby, each standby replays the window's commit after the gate opens, one left behind makes the
 * window end DONE running primary-only, and clients of a hot standby are measured through the outage.
 */
class StandbysTest {
    @TempDir
    Path folder;

    ThrowawayCluster primary;
    ThrowawayCluster s1;
    ThrowawayCluster s2;
    LocalTemporal temporal;
    WorkflowClient client;
    static final String QUEUE = "standbys";
    static final String DB = "standbys";

    @BeforeEach
    void world() throws Exception {
        primary = ThrowawayCluster.start();
        TestDatabase.copyDemoPatches(folder, name -> name.startsWith("demo-") || name.contains("-01-"));
        primary.createDatabase(DB, folder);
        s1 = primary.standby("s1");
        s2 = primary.standby("s2");
        Replication.awaitStreaming(primary, 2);
        org.fastdowntime.env.Budgets budgets = org.fastdowntime.env.Budgets.defaults()
                .withLeads(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMillis(500))
                .withHeartbeatTimeout(Duration.ofSeconds(3))
                .withStandbys(Duration.ofSeconds(60), Duration.ofSeconds(2), Duration.ofSeconds(3));
        EnvironmentSettings env = EnvironmentSettings.builder(
                        DB, primary.url(DB).replaceAll("\\?.*$", ""))
                .patches(folder)
                .approvers(List.of("alice"))
                .budgets(budgets)
                .standbys(new StandbySettings(
                        List.of(
                                new StandbySettings.Standby("s1", s1.url(DB).replaceAll("\\?.*$", "")),
                                new StandbySettings.Standby("s2", null)),
                        2))
                .build();
        temporal = LocalTemporal.start(QUEUE, Map.of(DB, env));
        client = temporal.client();
    }

    @AfterEach
    void stop() {
        temporal.close();
        s2.close();
        s1.close();
        primary.close();
    }

    private FastDowntimeWorkflow window(String id, Duration lead) {
        FastDowntimeWorkflow w = client.newWorkflowStub(
                FastDowntimeWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setTaskQueue(QUEUE)
                        .setWorkflowId(id)
                        .build());
        WorkflowClient.start(
                w::run, new FastDowntimeRequest(DB, Instant.now().plus(lead).toString(), List.of()));
        w.qaOk(new QaSignal("2300-01-0", "alice", "checked", null));
        return w;
    }

    private long applied(ThrowawayCluster on) throws Exception {
        return Replication.count(on.url(DB), "SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 1");
    }

    /**
     * Clients of the hot standby s1 through a window: one opening a new connection for every query,
     * one keeping its session; each query reads the table the window alters.
     */
    static final class StandbyClients implements AutoCloseable {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger newOk = new AtomicInteger();
        final AtomicInteger sessionOk = new AtomicInteger();
        final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        volatile long longestSessionStallMillis;
        final Thread fresh;
        final Thread session;

        StandbyClients(String url) {
            fresh = new Thread(() -> {
                while (!stop.get()) {
                    try (Connection c = DriverManager.getConnection(url);
                            Statement st = c.createStatement()) {
                        st.executeQuery("SELECT count(*) FROM bug").close();
                        newOk.incrementAndGet();
                    } catch (SQLException e) {
                        errors.add("new connection: " + e.getMessage());
                    }
                    pause();
                }
            });
            session = new Thread(() -> {
                Connection c = null;
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    try {
                        if (c == null) {
                            c = DriverManager.getConnection(url);
                        }
                        try (Statement st = c.createStatement()) {
                            st.executeQuery("SELECT count(*) FROM bug").close();
                        }
                        sessionOk.incrementAndGet();
                    } catch (SQLException e) {
                        errors.add("session: " + e.getMessage());
                        c = null;
                    }
                    longestSessionStallMillis =
                            Math.max(longestSessionStallMillis, (System.nanoTime() - t0) / 1_000_000);
                    pause();
                }
            });
            fresh.start();
            session.start();
        }

        private void pause() {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            fresh.join();
            session.join();
        }
    }

    @Test
    void everyStandbyReplaysTheCommitAfterTheGateOpens() throws Exception {
        FastDowntimeWorkflow w = window("standbys-caught-up", Duration.ofSeconds(4));
        StringBuilder message = new StringBuilder();
        String outcome;
        StandbyClients clients = new StandbyClients(s1.url(DB));
        try (clients) {
            outcome = WindowOutcome.of(w, message);
        }
        assertEquals("COMPLETED", outcome, message.toString());
        FastDowntimeStatus status = w.status();
        List<StandbyCatchUp> standbys = status.outage().standbys();
        assertEquals(
                List.of("s1", "s2"), standbys.stream().map(StandbyCatchUp::name).toList());
        assertTrue(standbys.stream().allMatch(StandbyCatchUp::caughtUp), standbys.toString());
        assertTrue(status.warnings().isEmpty(), status.warnings().toString());
        assertTrue(status.preflightAfter().startsWith("passed: "), status.preflightAfter());
        assertTrue(status.preflightAfter().contains("2 standby(s) streaming"), status.preflightAfter());
        assertTrue(
                status.timeline().stream()
                        .anyMatch(e -> e.message().startsWith("Standby s2 replayed the window's commit ")),
                status.timeline().toString());
        assertEquals(1, applied(s1), "s1 has the window's commit");
        assertEquals(1, applied(s2), "s2 has the window's commit");
        assertEquals(1, Replication.count(s1.url(DB), "SELECT count(*) FROM pg_class WHERE relname = 'bugtag'"));
        System.out.printf(
                "standbys: s1 %.3f s, s2 %.3f s after the gate opened (outage %d ms); hot-standby clients of s1:"
                        + " %d queries on new connections, %d in one session (longest %d ms), %d errors %s%n",
                standbys.get(0).seconds(),
                standbys.get(1).seconds(),
                status.outage().outageMillis(),
                clients.newOk.get(),
                clients.sessionOk.get(),
                clients.longestSessionStallMillis,
                clients.errors.size(),
                clients.errors.stream().distinct().limit(3).toList());
        assertTrue(clients.newOk.get() > 0 && clients.sessionOk.get() > 0, "the standby kept serving reads");
    }

    @Test
    void aStandbyStoppedBeforeTheWindowFailsThePreflightAndNothingChanges() throws Exception {
        s2.stop();
        Replication.awaitStreaming(primary, 1);
        FastDowntimeWorkflow w = window("standbys-one-down", Duration.ofSeconds(4));
        StringBuilder message = new StringBuilder();
        String outcome = WindowOutcome.of(w, message);
        assertEquals("PREFLIGHT_FAILED", outcome, message.toString());
        assertTrue(message.toString().contains("s2 is not connected"), message.toString());
        assertEquals(0, applied(primary), "nothing changed");
        assertEquals(
                1,
                Replication.count(
                        primary.url("postgres"),
                        "SELECT count(*) FROM pg_database WHERE datname = '" + DB + "' AND datallowconn"));
    }

    @Test
    void aStandbyThatDoesNotReplayTheCommitLeavesTheWindowDoneRunningPrimaryOnly() throws Exception {
        FastDowntimeWorkflow w = window("standbys-primary-only", Duration.ofSeconds(4));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (w.status().timeline().stream()
                .noneMatch(e -> e.code() == org.fastdowntime.model.EventCode.PREFLIGHT_PASSED)) {
            assertTrue(System.nanoTime() < deadline, "no preflight");
            Thread.sleep(20);
        }
        try (Connection c = DriverManager.getConnection(s2.url(DB));
                Statement st = c.createStatement()) {
            st.execute("SELECT pg_wal_replay_pause()");
        }
        StringBuilder message = new StringBuilder();
        String outcome = WindowOutcome.of(w, message);
        assertEquals("COMPLETED", outcome, message.toString());
        assertTrue(message.toString().contains("Warning: running primary-only: s2 not caught up"), message.toString());
        FastDowntimeStatus status = w.status();
        assertEquals(List.of("running primary-only: s2 not caught up (streaming, behind)"), status.warnings());
        assertTrue(
                status.timeline().stream()
                        .anyMatch(e -> e.message().startsWith("Announced (primary-only)")
                                || e.message().contains("primary-only")),
                status.timeline().toString());
        // Paused a moment ago, s2 is still within the lag limit: the preflight run again passes, and says so.
        assertTrue(status.preflightAfter().startsWith("passed: "), status.preflightAfter());
        assertEquals(1, applied(primary));
        assertEquals(1, applied(s1), "s1 caught up");
        assertEquals(0, applied(s2), "s2 is paused before the commit");
        assertEquals(
                1,
                Replication.count(
                        primary.url("postgres"),
                        "SELECT count(*) FROM pg_database WHERE datname = '" + DB + "' AND datallowconn"),
                "the gate is open");
        try (Connection c = DriverManager.getConnection(s2.url(DB));
                Statement st = c.createStatement()) {
            st.execute("SELECT pg_wal_replay_resume()");
        }
    }
}
