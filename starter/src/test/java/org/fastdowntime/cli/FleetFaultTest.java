package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fastdowntime.fleet.FleetDowntimeWorkflow;
import org.fastdowntime.ledger.Ledgers;
import org.fastdowntime.model.FleetDowntimeRequest;
import org.fastdowntime.model.FleetResult;
import org.fastdowntime.model.FleetStage;
import org.fastdowntime.model.LedgerItem;
import org.fastdowntime.model.LedgerRequest;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An atomic fleet window whose worker is killed with SIGKILL between PREPARE and COMMIT: a new worker process finishes
 * what the history says. Killed with the members prepared and no decision yet: every member rolls back. Killed while
 * the recorded COMMIT is carried out: every member commits. Either way no prepared transaction is left and every gate
 * is open.
 */
class FleetFaultTest {
    @RegisterExtension
    static final FaultWorkers temporal = new FaultWorkers("fl");

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    final List<String> databases = new ArrayList<>();
    final List<Process> workers = new ArrayList<>();
    String queue;

    @BeforeEach
    void world() throws Exception {
        Path folder = dir.resolve("patches");
        Files.createDirectories(folder);
        TestDatabase.copyDemoPatches(
                folder, name -> name.startsWith("demo-") || name.contains("-01-") || name.contains("-02-"));
        db.loadBaseline(folder);
        databases.add(db.name());
        for (String m : List.of("b", "c")) {
            String name = db.name() + "_" + m;
            try (Connection c = TestDatabase.admin();
                    Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + name + " TEMPLATE " + db.name());
            }
            databases.add(name);
        }
        queue = "fleet-faults-" + db.name();
        StringBuilder members = new StringBuilder();
        for (String d : databases) {
            members.append("      - {name: ")
                    .append(d)
                    .append(", jdbcUrl: '")
                    .append(url(d))
                    .append("'}\n");
        }
        TestWorkerYaml.of("fl", db, folder)
                .taskQueue(queue)
                .budget("heartbeatTimeout", "3s")
                .sections("fleets:\n  shards:\n    environment: fl\n    mode: atomic\n    parallelism: 3\n"
                        + "    members:\n" + members)
                .write(dir.resolve("worker.yaml"));
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : workers) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (String d : databases.subList(1, databases.size())) {
            TestDatabase.drop(d);
        }
    }

    private String url(String database) {
        return db.url().replaceAll("\\?.*$", "").replace("/" + db.name(), "/" + database);
    }

    private Process worker(String failPoint) throws Exception {
        Process p = FaultWorkers.start(dir, workers.size(), temporal.target(), failPoint, null);
        workers.add(p);
        return p;
    }

    private FleetDowntimeWorkflow startFleet(String id) {
        Ledgers.record(
                Ledgers.ensure(temporal.client(), "fl", queue),
                new LedgerRequest(
                        "qaOk",
                        "alice",
                        "fleet QA",
                        List.of(
                                new LedgerItem("2300-01-0", null, null, null),
                                new LedgerItem("2300-02-0", null, null, null)),
                        null));
        FleetDowntimeWorkflow f = temporal.client()
                .newWorkflowStub(
                        FleetDowntimeWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setTaskQueue(queue)
                                .setWorkflowId(id)
                                .build());
        WorkflowClient.start(f::run, new FleetDowntimeRequest("shards", null));
        return f;
    }

    private void awaitMarker(String point, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!Files.exists(dir.resolve(point + ".reached"))) {
            assertTrue(
                    System.nanoTime() < deadline,
                    point + " reached within " + limit + "; worker log:\n"
                            + Files.readString(dir.resolve("worker-0.log")));
            Thread.sleep(20);
        }
    }

    private long patchedMembers() throws Exception {
        long n = 0;
        for (String d : databases) {
            try (Connection c = DriverManager.getConnection(url(d) + "?user=postgres");
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM information_schema.columns"
                            + " WHERE table_name = 'bug' AND column_name = 'heat'")) {
                rs.next();
                n += rs.getLong(1);
            }
        }
        return n;
    }

    private void assertGatesOpenAndNothingPrepared() throws Exception {
        for (String d : databases) {
            TestDatabase.assertGateOpenAndNothingPrepared(d);
        }
    }

    @Test
    void killedAfterPrepareBeforeTheDecisionEveryMemberRollsBack() throws Exception {
        Process first = worker("after-prepare");
        FleetDowntimeWorkflow f = startFleet("fleet-fault-prepare-" + db.name());
        awaitMarker("after-prepare", Duration.ofSeconds(60));
        first.destroyForcibly(); // SIGKILL, with members prepared and their gates closed
        worker(null);

        assertThrows(
                WorkflowFailedException.class, () -> WorkflowStub.fromTyped(f).getResult(FleetResult.class));
        assertEquals(FleetStage.FAILED, f.status().stage());
        assertTrue(f.status().decision().startsWith("ROLLBACK"), f.status().decision());
        assertEquals(0, patchedMembers(), "every member rolled back");
        assertGatesOpenAndNothingPrepared();
    }

    @Test
    void killedWhileTheCommitIsCarriedOutEveryMemberCommits() throws Exception {
        Process first = worker("before-finish");
        FleetDowntimeWorkflow f = startFleet("fleet-fault-finish-" + db.name());
        awaitMarker("before-finish", Duration.ofSeconds(60));
        first.destroyForcibly(); // SIGKILL, COMMIT decided and recorded, no member finished
        worker(null);

        FleetResult r = WorkflowStub.fromTyped(f).getResult(FleetResult.class);
        assertEquals(FleetStage.DONE, r.stage(), r.message());
        assertTrue(f.status().decision().startsWith("COMMIT"), f.status().decision());
        assertEquals(databases.size(), patchedMembers(), "every member committed, as decided");
        assertGatesOpenAndNothingPrepared();
    }
}
