package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fastdowntime.bench.BenchStandbys;
import org.fastdowntime.bench.StandbyReader;
import org.fastdowntime.env.EnvironmentSettings;
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
 * Reads never stop: a primary with two real streaming standbys, each with its own pgbouncer, and a window whose
 * patch alters the table every reader reads. Replay is paused on both before the gate closes and resumed one
 * standby at a time after it opens, each standby's pgbouncer paused while it replays: readers through each
 * pgbouncer (a new connection per read, and one session) see no refusal and no failed read, and a reader that
 * connects directly, to s1 and else s2, always finds one that answers. A standby already paused by someone else, or
 * a patcher that may not pause replay, is refused by the preflight with its name.
 */
class StandbyReadsTest {
    @TempDir
    Path folder;

    ThrowawayCluster primary;
    /** s1 and s2, each with its pgbouncer: the bench's standbys. */
    BenchStandbys replicas;

    LocalTemporal temporal;
    WorkflowClient client;
    static final String QUEUE = "standby-reads";
    static final String DB = "reads";

    @BeforeEach
    void world() throws Exception {
        primary = ThrowawayCluster.start();
        TestDatabase.copyDemoPatches(folder, name -> name.startsWith("demo-") || name.contains("-01-"));
        primary.createDatabase(DB, folder);
        replicas = BenchStandbys.start(primary, 2, List.of(DB));
        Replication.awaitStreaming(primary, 2);
    }

    private void startWorker(String user) throws Exception {
        org.fastdowntime.env.Budgets budgets = org.fastdowntime.env.Budgets.defaults()
                .withLeads(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMillis(500))
                .withHeartbeatTimeout(Duration.ofSeconds(3))
                .withStandbys(Duration.ofSeconds(60), Duration.ofSeconds(2), Duration.ofSeconds(10));
        EnvironmentSettings env = EnvironmentSettings.builder(
                        DB, primary.url(DB).replaceAll("\\?.*$", ""))
                .user(user)
                .patches(folder)
                .approvers(List.of("alice"))
                .budgets(budgets)
                .standbys(replicas.settings(DB))
                .build();
        temporal = LocalTemporal.start(QUEUE, Map.of(DB, env));
        client = temporal.client();
    }

    @AfterEach
    void stop() {
        if (temporal != null) {
            temporal.close();
        }
        replicas.close();
        primary.close();
    }

    private FastDowntimeWorkflow window(String id) {
        FastDowntimeWorkflow w = client.newWorkflowStub(
                FastDowntimeWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setTaskQueue(QUEUE)
                        .setWorkflowId(id)
                        .build());
        WorkflowClient.start(
                w::run, new FastDowntimeRequest(DB, Instant.now().plusSeconds(4).toString(), List.of()));
        w.qaOk(new QaSignal("2300-01-0", "alice", "checked", null));
        return w;
    }

    @Test
    void readsThroughEveryStandbyNeverFailAndOneStandbyAlwaysAnswers() throws Exception {
        startWorker("postgres");
        FastDowntimeWorkflow w = window("reads-never-stop");
        List<StandbyReader> readers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String pooled = replicas.pool(i).url(DB, "postgres");
            readers.add(StandbyReader.start(
                    "s" + (i + 1) + " via pgbouncer, new connections", false, List.of(pooled), "bug"));
            readers.add(
                    StandbyReader.start("s" + (i + 1) + " via pgbouncer, one session", true, List.of(pooled), "bug"));
        }
        StandbyReader direct = StandbyReader.start(
                "s1 else s2, direct, new connections",
                false,
                List.of(replicas.standby(0).url(DB), replicas.standby(1).url(DB)),
                "bug");
        readers.add(direct);
        StringBuilder message = new StringBuilder();
        String outcome;
        List<StandbyReader.Figures> seen = new ArrayList<>();
        try {
            outcome = WindowOutcome.of(w, message);
        } finally {
            for (StandbyReader r : readers) {
                seen.add(r.figures());
            }
        }
        assertEquals("COMPLETED", outcome, message.toString());
        FastDowntimeStatus status = w.status();
        String timeline = status.timeline().toString();
        assertTrue(timeline.contains("Replay paused on s1, s2"), timeline);
        List<StandbyCatchUp> caughtUp = status.outage().standbys();
        assertEquals(
                List.of("s1", "s2"), caughtUp.stream().map(StandbyCatchUp::name).toList());
        assertTrue(caughtUp.stream().allMatch(StandbyCatchUp::caughtUp), caughtUp.toString());
        System.out.println(
                "standby reads through a window (outage " + status.outage().outageMillis() + " ms):");
        seen.forEach(f -> System.out.println("  " + f));
        for (StandbyReader.Figures f : seen) {
            assertTrue(f.reads() > 0, f.toString());
            assertEquals(0, f.failed(), "no read failed: " + f);
            assertEquals(0.0, f.unservedMs(), "always served: " + f);
        }
        // Through pgbouncer no connection is ever refused; the direct reader fails over, so none of its reads failed.
        seen.stream()
                .filter(f -> f.name().contains("pgbouncer"))
                .forEach(f -> assertEquals(0, f.refused(), f.toString()));
        for (ThrowawayCluster s : List.of(replicas.standby(0), replicas.standby(1))) {
            assertEquals(
                    1,
                    Replication.count(s.url(DB), "SELECT count(*) FROM pg_class WHERE relname = 'bugtag'"),
                    "replayed");
            assertEquals(
                    "not paused",
                    Replication.text(s.url(DB), "SELECT pg_get_wal_replay_pause_state()"),
                    "replay resumed");
        }
    }

    @Test
    void aPatcherWithoutTheRightOrAStandbyPausedBySomeoneElseIsRefusedByThePreflight() throws Exception {
        // A patcher as the docs describe one: owner of the database and its tables, allowed to signal backends and
        // to read replication's state, but not to pause replay.
        primary.execute("CREATE ROLE fdt_patcher LOGIN");
        primary.execute("ALTER DATABASE " + DB + " OWNER TO fdt_patcher");
        primary.execute("GRANT pg_signal_backend, pg_monitor TO fdt_patcher");
        try (Connection c = DriverManager.getConnection(primary.url(DB));
                Statement st = c.createStatement()) {
            st.execute("DO $$ DECLARE r record; BEGIN FOR r IN SELECT schemaname, tablename FROM pg_tables WHERE"
                    + " schemaname IN ('public', 'fastdowntime') LOOP EXECUTE format('ALTER TABLE %I.%I OWNER TO"
                    + " fdt_patcher', r.schemaname, r.tablename); END LOOP; END $$");
            st.execute("DO $$ BEGIN IF EXISTS (SELECT FROM pg_namespace WHERE nspname = 'fastdowntime') THEN"
                    + " ALTER SCHEMA fastdowntime OWNER TO fdt_patcher; END IF; END $$");
        }
        startWorker("fdt_patcher");
        StringBuilder message = new StringBuilder();
        assertEquals("PREFLIGHT_FAILED", WindowOutcome.of(window("reads-no-right"), message), message.toString());
        assertTrue(
                message.toString()
                        .contains("the patcher fdt_patcher may not pause replay on s1: on the primary, GRANT EXECUTE"
                                + " ON FUNCTION pg_wal_replay_pause(), pg_wal_replay_resume() TO fdt_patcher"),
                message.toString());
        temporal.close();
        temporal = null;

        replicas.standby(1).execute("SELECT pg_wal_replay_pause()");
        startWorker("postgres");
        message.setLength(0);
        assertEquals("PREFLIGHT_FAILED", WindowOutcome.of(window("reads-paused-elsewhere"), message));
        assertTrue(message.toString().contains("s2's replay is paused by someone else"), message.toString());
        assertEquals(0, Replication.count(primary.url(DB), "SELECT count(*) FROM pg_class WHERE relname = 'bugtag'"));
        assertEquals(
                "paused",
                Replication.text(replicas.standby(1).url(DB), "SELECT pg_get_wal_replay_pause_state()"),
                "left as it was");
        replicas.standby(1).execute("SELECT pg_wal_replay_resume()");
    }
}
