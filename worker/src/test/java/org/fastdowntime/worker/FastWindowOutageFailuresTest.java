package org.fastdowntime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.CanceledFailure;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.model.AbortSignal;
import org.fastdowntime.model.FastDowntimeRequest;
import org.fastdowntime.model.FastDowntimeResult;
import org.fastdowntime.model.FastDowntimeStatus;
import org.junit.jupiter.api.Test;

/**
 * FastDowntime end to end. The outage going wrong: a fragile user busy, a failing patch, a cancel, an abort, a worker lost; the gate reopens each time and nothing is half-applied.
 */
class FastWindowOutageFailuresTest extends FastWindowWorld {
    @Test
    void fragileUserInATransactionAbortsTheWindowWithNothingChanged() throws Exception {
        w.start(true);
        try (Connection fragile = w.connectAs(w.fragileRole);
                Statement st = fragile.createStatement()) {
            fragile.setAutoCommit(false);
            st.execute("UPDATE bug SET title = title WHERE id = 1");
            FastDowntimeWorkflow window = startWindow("fdt-fragile", inTwoHours("2300-01-0"));
            window.qaOk(ok("2300-01-0", "alice"));
            WorkflowFailedException e = assertThrows(
                    WorkflowFailedException.class,
                    () -> WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class));
            assertEquals("FRAGILE_USER_BUSY", failureType(e));
            st.execute("SELECT 1"); // the fragile job was not interrupted
            fragile.rollback();
        }
        assertEquals(1, w.revisions());
        assertTrue(w.gateOpen());
        assertEquals(
                org.fastdowntime.model.FastStage.FAILED,
                w.existing("fdt-fragile").status().stage());
        replays("fdt-fragile");
    }

    /**
     * A patch that passes its rehearsal (on a copy of the schema, without rows) and fails in production (its
     * constraint is violated by rows): the whole window rolls back, and the status, timeline and history tell
     * the outage that happened.
     */
    @Test
    void failingPatchRollsBackTheWholeWindowAndReopensTheGate() throws Exception {
        Files.writeString(
                patches.resolve("patch-2300-04-0.sql"), "ALTER TABLE bug ADD CONSTRAINT bug__never CHECK (id < 0);\n");
        w.start(true);
        FastDowntimeWorkflow window = startWindow("fdt-failing", inTwoHours());
        for (String id : List.of("2300-01-0", "2300-02-0", "2300-04-0")) {
            window.qaOk(ok(id, "alice"));
        }
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class));
        assertEquals("PATCH_FAILED", failureType(e));
        assertTrue(
                e.getCause().getMessage().contains("patch-2300-04-0.sql"),
                e.getCause().getMessage());
        assertEquals(1, w.revisions(), "the baseline only: 2300-01-0 and 2300-02-0 rolled back");
        assertEquals(0, db.count("SELECT count(*) FROM pg_class WHERE relname = 'bugtag'"));
        assertTrue(w.gateOpen());
        FastDowntimeStatus status = w.existing("fdt-failing").status();
        assertEquals(org.fastdowntime.model.FailureType.PATCH_FAILED, status.failureType());
        assertNotNull(status.outage(), "the failed outage keeps its report");
        assertNotNull(status.outage().gateClosedAt());
        assertNotNull(status.outage().gateOpenedAt());
        assertTrue(status.outage().applied().isEmpty());
        assertTrue(status.timeline().stream().anyMatch(t -> t.code() == org.fastdowntime.model.EventCode.GATE_CLOSED));
        assertTrue(
                status.timeline().stream()
                        .anyMatch(t -> t.code() == org.fastdowntime.model.EventCode.OUTAGE_FAILED
                                && t.message().contains("patch-2300-04-0.sql")),
                status.timeline().toString());
        assertEquals(
                1,
                db.count("SELECT count(*) FROM fastdowntime.window_history WHERE outcome = 'FAILED'"),
                "the cycle-time report's history has the failed outage");
        assertTrue(
                status.message().contains("still pending") || status.message().contains("rolled back"),
                status.message());
        replays("fdt-failing");
    }

    @Test
    void cancellingTheWorkflowDuringTheOutageReopensTheGate() throws Exception {
        Files.writeString(patches.resolve("patch-2300-07-0.sql"), "SELECT pg_sleep(30) FROM bug LIMIT 1;\n");
        w.setBudgets(nowLeads(WindowFixture.budgets(Duration.ofSeconds(5), Duration.ofSeconds(5))));
        w.start(false);
        FastDowntimeWorkflow window =
                startWindow("fdt-cancel", new FastDowntimeRequest("test", null, List.of("2300-01-0", "2300-07-0")));
        window.qaOk(ok("2300-01-0", "alice"));
        window.qaOk(ok("2300-07-0", "alice"));
        waitUntilGateIs(false);
        WorkflowStub.fromTyped(window).cancel();
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class));
        assertInstanceOf(CanceledFailure.class, e.getCause());
        assertTrue(w.gateOpen());
        assertEquals(1, w.revisions(), "the baseline; nothing of the window");
        assertEquals(0, db.count("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%'"));
        FastDowntimeStatus status = w.existing("fdt-cancel").status();
        assertEquals(
                org.fastdowntime.model.FastStage.CANCELLED,
                status.stage(),
                status.timeline().toString());
        assertTrue(
                status.timeline().stream()
                        .anyMatch(t -> t.stage().equals("CANCELLED")
                                && t.message().startsWith("Cancelled at OUTAGE; background jobs were resumed.")),
                status.timeline().toString());
        assertTrue(
                status.timeline().stream().anyMatch(t -> t.message().contains("resume hook")),
                "the resume hooks ran: " + status.timeline());
        assertOutcome("fdt-cancel", "test", "CANCELLED");
        replays("fdt-cancel");
    }

    @Test
    void abortSignalDuringTheOutageRollsBackAndReopens() throws Exception {
        Files.writeString(patches.resolve("patch-2300-07-0.sql"), "SELECT pg_sleep(30) FROM bug LIMIT 1;\n");
        w.setBudgets(nowLeads(WindowFixture.budgets(Duration.ofSeconds(5), Duration.ofSeconds(5))));
        w.start(false);
        FastDowntimeWorkflow window =
                startWindow("fdt-abort", new FastDowntimeRequest("test", "now", List.of("2300-07-0")));
        window.qaOk(ok("2300-07-0", "alice"));
        waitUntilGateIs(false);
        window.abort(new AbortSignal("replication is lagging", "mallory"));
        window.abort(new AbortSignal("replication is lagging", "bob"));
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class));
        assertEquals("ABORTED", failureType(e));
        assertTrue(w.gateOpen());
        assertEquals(1, w.revisions(), "the baseline only (the LIVE patch was not approved)");
        FastDowntimeStatus status = w.existing("fdt-abort").status();
        assertEquals(org.fastdowntime.model.FastStage.ABORTED, status.stage());
        assertFalse(status.signals().stream()
                .filter(s -> "mallory".equals(s.by()))
                .findFirst()
                .orElseThrow()
                .accepted());
        assertOutcome("fdt-abort", "test", "ABORTED");
        replays("fdt-abort");
    }

    @Test
    void workerStoppedDuringTheOutageAnotherWorkerReopensTheGate() throws Exception {
        Files.writeString(patches.resolve("patch-2300-07-0.sql"), "UPDATE bug SET title = title WHERE id = 1;\n");
        Files.delete(patches.resolve("patch-2300-03-0.sql")); // its index build would wait on the test's lock first
        w.setBudgets(nowLeads(WindowFixture.budgets(Duration.ofSeconds(15), Duration.ofSeconds(60))));
        // The test's lock on bug would hold the rehearsal's schema copy (pg_dump waits up to the lock timeout);
        // this test is about the outage's worker, not the rehearsal.
        w.environments.put(
                "test",
                w.environments.get("test").toBuilder()
                        .rehearsal(org.fastdowntime.env.EnvironmentSettings.Rehearsal.NONE)
                        .build());
        w.start(false);
        try (Connection holder = db.connect();
                Statement st = holder.createStatement()) {
            holder.setAutoCommit(false);
            st.execute("LOCK TABLE bug IN ACCESS EXCLUSIVE MODE"); // as postgres, a system user: never kicked
            FastDowntimeWorkflow window =
                    startWindow("fdt-worker-death", new FastDowntimeRequest("test", null, List.of("2300-07-0")));
            window.qaOk(ok("2300-07-0", "alice"));
            waitUntilGateIs(false);
            Thread.sleep(300); // the apply is now blocked on the lock
            long stoppedAt = System.nanoTime();
            w.env.getWorkerFactory().shutdownNow();

            WorkerFactory second = WorkerFactory.newInstance(w.client());
            w.newWorker(second);
            second.start();
            waitUntilGateIs(true);
            double seconds = (System.nanoTime() - stoppedAt) / 1e9;
            double heartbeatTimeout =
                    w.environments.get("test").budgets().heartbeatTimeout().toMillis() / 1000.0;
            assertTrue(seconds < heartbeatTimeout + 5, "gate reopened " + seconds + " s after the worker stopped");
            WorkflowFailedException e = assertThrows(
                    WorkflowFailedException.class,
                    () -> WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class));
            assertEquals("OUTAGE_LOST", failureType(e));
            holder.rollback();
            second.shutdownNow();
        }
        assertEquals(0, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 7"));
        assertEquals(
                0,
                db.count("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE"
                        + " 'fastdowntime:fdt-worker-death%'"));
        replays("fdt-worker-death");
    }

    @Test
    void aWorkerLostDuringALivePatchIsNoticedInSecondsAndThePatchIsNotRunTwice() throws Exception {
        Files.writeString(
                patches.resolve("patch-2300-08-0.sql"),
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS bug__title__idx ON bug (title);\n\n"
                        + "INSERT INTO LaunchpadDatabaseRevision VALUES (2300, 8, 0);\n");
        // The index build waits for the test's open transaction on bug, for as long as lock_timeout allows.
        w.setBudgets(WindowFixture.budgets(Duration.ofSeconds(15), Duration.ofSeconds(60)));
        w.start(false);
        String building = "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'CREATE INDEX CONCURRENTLY%'";
        try (java.sql.Connection holder = db.connect();
                java.sql.Statement st = holder.createStatement()) {
            holder.setAutoCommit(false);
            st.execute("LOCK TABLE bug IN ROW EXCLUSIVE MODE");
            FastDowntimeWorkflow window =
                    startWindow("fdt-live-worker-death", new FastDowntimeRequest("test", null, List.of("2300-08-0")));
            window.qaOk(ok("2300-08-0", "alice"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (db.count(building) == 0) {
                assertTrue(System.nanoTime() < deadline, "the live patch never started");
                Thread.sleep(50);
            }
            long stoppedAt = System.nanoTime();
            w.env.getWorkerFactory().shutdownNow();
            WorkerFactory second = WorkerFactory.newInstance(w.client());
            w.newWorker(second);
            second.start();
            try {
                FastDowntimeResult r = WorkflowStub.fromTyped(window)
                        .getResult(60, java.util.concurrent.TimeUnit.SECONDS, FastDowntimeResult.class);
                double seconds = (System.nanoTime() - stoppedAt) / 1e9;
                assertEquals(org.fastdowntime.model.Outcome.SKIPPED, r.outcome(), r.toString());
                double heartbeatTimeout =
                        w.environments.get("test").budgets().heartbeatTimeout().toMillis() / 1000.0;
                assertTrue(seconds < heartbeatTimeout + 10, "the lost live patch was noticed " + seconds + " s after");
                assertTrue(
                        window.status().timeline().stream()
                                .anyMatch(e -> e.message().startsWith("Live patch 2300-08-0 failed and stays pending")),
                        window.status().timeline().toString());
                assertTrue(db.count(building) <= 1, "tried once: a half-run LIVE patch is not run again");
                assertEquals(0, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 8"));
            } finally {
                second.shutdownNow();
                holder.rollback();
            }
        }
        replays("fdt-live-worker-death");
    }

    /**
     * The network to the database goes silent mid-outage (a proxy freezes the flows it carries; new connections still
     * pass): the outage's watch notices, the window fails DATABASE_UNREACHABLE in seconds, its compensation reopens
     * the gate and ends the patcher's stalled session, and nothing is applied.
     */
    @Test
    void aNetworkThatGoesSilentMidOutageFailsTheWindowInSecondsAndTheGateReopens() throws Exception {
        Files.writeString(patches.resolve("patch-2300-07-0.sql"), "SELECT pg_sleep(20) FROM bug LIMIT 1;\n");
        try (org.fastdowntime.testing.FreezingProxy proxy = org.fastdowntime.testing.FreezingProxy.to(5432)) {
            w.setBudgets(nowLeads(WindowFixture.budgets(Duration.ofSeconds(15), Duration.ofSeconds(60))));
            var direct = w.environments.get("test");
            w.environments.put(
                    "test",
                    direct.toBuilder()
                            .jdbcUrl(direct.jdbcUrl().replace("127.0.0.1:5432", "127.0.0.1:" + proxy.port()))
                            .rehearsal(org.fastdowntime.env.EnvironmentSettings.Rehearsal.NONE)
                            .build());
            w.start(false);
            FastDowntimeWorkflow window =
                    startWindow("fdt-partition", new FastDowntimeRequest("test", null, List.of("2300-07-0")));
            window.qaOk(ok("2300-07-0", "alice"));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (sessions("query LIKE 'SELECT pg_sleep(20)%'") == 0) {
                assertTrue(System.nanoTime() < deadline, "the patch never ran");
                Thread.sleep(50);
            }
            proxy.freezeAll();
            long frozenAt = System.nanoTime();
            WorkflowFailedException e = assertThrows(
                    WorkflowFailedException.class,
                    () -> WorkflowStub.fromTyped(window)
                            .getResult(90, java.util.concurrent.TimeUnit.SECONDS, FastDowntimeResult.class));
            double seconds = (System.nanoTime() - frozenAt) / 1e9;
            assertEquals("DATABASE_UNREACHABLE", failureType(e), e.getCause().getMessage());
            assertTrue(
                    e.getCause().getMessage().contains("stopped answering"),
                    e.getCause().getMessage());
            assertTrue(seconds < 25, "the window failed " + seconds + " s after the network went silent");
            assertTrue(w.gateOpen(), "the compensation reopened the gate");
            long ended = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (sessions("application_name LIKE 'fastdowntime:fdt-partition%' AND query LIKE '%pg_sleep%'") > 0) {
                assertTrue(System.nanoTime() < ended, "the stalled patcher session was ended by the compensation");
                Thread.sleep(100);
            }
            assertEquals(0, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 7"));
            System.out.printf(
                    java.util.Locale.ROOT,
                    "network partition mid-outage: window failed %.1f s after the freeze, gate open%n",
                    seconds);
        }
    }

    /** Sessions of the server matching {@code where}, asked of the maintenance database (the gate may be closed). */
    private static long sessions(String where) throws Exception {
        try (java.sql.Connection c = org.fastdowntime.testing.TestDatabase.admin();
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
