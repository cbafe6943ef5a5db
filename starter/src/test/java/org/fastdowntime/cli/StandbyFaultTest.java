package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.model.FastDowntimeRequest;
import org.fastdowntime.model.QaSignal;
import org.fastdowntime.sandbox.ThrowawayCluster;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault matrix's row for a standby: a worker killed (SIGKILL) with the gate closed and the standby's replay
 * paused; another worker's compensation reopens the gate and resumes the replay within the heartbeat timeout + 5 s.
 */
class StandbyFaultTest {
    private static final Duration HEARTBEAT = Duration.ofSeconds(3);
    private static final String DB = "sf";

    @RegisterExtension
    static final FaultWorkers temporal = new FaultWorkers("sf");

    @TempDir
    Path dir;

    ThrowawayCluster primary;
    ThrowawayCluster standby;
    final List<Process> workers = new ArrayList<>();

    @BeforeEach
    void world() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("patches"));
        TestDatabase.copyDemoPatches(folder, name -> name.startsWith("demo-") || name.contains("-01-"));
        primary = ThrowawayCluster.start();
        primary.createDatabase(DB, folder);
        standby = primary.standby("s1");
        Files.writeString(
                dir.resolve("worker.yaml"),
                String.join(
                        "\n",
                        "temporal:",
                        "  taskQueue: standby-faults",
                        "environments:",
                        "  " + DB + ":",
                        "    jdbcUrl: jdbc:postgresql://127.0.0.1:" + primary.port() + "/" + DB,
                        "    user: postgres",
                        "    patches: " + folder,
                        "    approvers: [alice]",
                        "    systemUsers: [postgres]",
                        "    standbys:",
                        "      - {name: s1, jdbcUrl: \"jdbc:postgresql://127.0.0.1:" + standby.port() + "/" + DB
                                + "\"}",
                        "    budgets: {qaLead: 1s, quiesceLead: 2s, preflightLead: 1s, armLead: 500ms,"
                                + " heartbeatTimeout: " + HEARTBEAT.toSeconds() + "s}",
                        ""));
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : workers) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        standby.close();
        primary.close();
    }

    private String pauseState() throws Exception {
        return Replication.text(standby.url(DB), "SELECT pg_get_wal_replay_pause_state()");
    }

    private boolean gateOpen() throws Exception {
        return Replication.count(
                        primary.url("postgres"),
                        "SELECT count(*) FROM pg_database WHERE datname = '" + DB + "' AND datallowconn")
                == 1;
    }

    @Test
    void aWorkerKilledWithReplayPausedLeavesItResumedByTheCompensation() throws Exception {
        workers.add(FaultWorkers.start(dir, 0, temporal.target(), "gate-closed", null));
        FastDowntimeWorkflow w = temporal.client()
                .newWorkflowStub(
                        FastDowntimeWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setTaskQueue("standby-faults")
                                .setWorkflowId("standby-fault")
                                .build());
        WorkflowClient.start(
                w::run, new FastDowntimeRequest(DB, Instant.now().plusSeconds(8).toString(), List.of("2300-01-0")));
        w.qaOk(new QaSignal("2300-01-0", "alice", "fault", null));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(dir.resolve("gate-closed.reached"))) {
            assertTrue(System.nanoTime() < deadline, "the outage reached the closed gate");
            Thread.sleep(50);
        }
        assertEquals("paused", pauseState(), "replay is paused while the gate is closed");
        workers.get(0).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        long killed = System.nanoTime();
        workers.add(FaultWorkers.start(dir, 1, temporal.target(), null, null));
        long limit = killed + HEARTBEAT.plusSeconds(5).toNanos();
        while (!("not paused".equals(pauseState()) && gateOpen())) {
            assertTrue(
                    System.nanoTime() < limit,
                    "replay resumed and the gate open within the heartbeat timeout + 5 s of the kill: " + pauseState()
                            + ", gate open " + gateOpen());
            Thread.sleep(100);
        }
        System.out.printf(
                "standby fault: SIGKILL with replay paused -> resumed and gate open %.1f s after the kill%n",
                (System.nanoTime() - killed) / 1e9);
    }
}
