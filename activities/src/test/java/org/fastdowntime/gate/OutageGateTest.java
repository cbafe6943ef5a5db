package org.fastdowntime.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.model.OutageReport;
import org.fastdowntime.model.OutageRequest;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchKind;
import org.fastdowntime.patch.PatchFile;
import org.fastdowntime.patch.PatchFolder;
import org.fastdowntime.patch.PatchSet;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The native gate and the kick, proven on a real server with a real application role. */
class OutageGateTest {
    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path folder;

    String app;

    @BeforeEach
    void database() throws Exception {
        TestDatabase.copyDemoPatches(folder, name -> name.startsWith("demo-"));
        db.loadBaseline(folder);
        app = "fdt_gate_app_" + db.name().substring(9);
        try (Connection c = TestDatabase.admin();
                Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + app + " LOGIN");
        }
    }

    @AfterEach
    void dropRole() throws Exception {
        TestDatabase.drop(db.name());
        try (Connection c = TestDatabase.admin();
                Statement st = c.createStatement()) {
            st.execute("DROP ROLE IF EXISTS " + app);
        }
    }

    private EnvironmentSettings env() {
        return EnvironmentSettings.builder("gate", db.url().replaceAll("\\?.*$", ""))
                .patches(folder)
                .build();
    }

    private OutageRequest request(String id) throws Exception {
        PatchSet set = PatchFolder.scan(folder, "LaunchpadDatabaseRevision", 15);
        PatchFile f = set.find(org.fastdowntime.model.PatchId.parse(id)).orElseThrow();
        return new OutageRequest(
                "gate", "gate-test", List.of(new PatchCandidate(f.id(), f.fileName(), f.sha256(), PatchKind.COLD)));
    }

    private Connection asApp() throws SQLException {
        return DriverManager.getConnection(db.url().replace("user=postgres", "user=" + app));
    }

    private boolean gateOpen() throws Exception {
        return new NativeGate(env(), "test").isOpen();
    }

    @Test
    void duringTheOutageNewApplicationConnectionsFailAndOldOnesAreGone() throws Exception {
        Files.writeString(
                folder.resolve("patch-2300-01-0.sql"), "SELECT pg_sleep(1.5);\nCREATE TABLE marker (id int);\n");
        Connection old = asApp();
        Outage outage = new Outage(env(), request("2300-01-0"));
        CompletableFuture<OutageReport> running = CompletableFuture.supplyAsync(() -> {
            try {
                return outage.run(() -> false, step -> {});
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (gateOpen()) {
            assertTrue(System.nanoTime() < deadline, "the gate never closed");
            Thread.sleep(10);
        }
        SQLException refused = assertThrows(SQLException.class, this::asApp);
        assertTrue(refused.getMessage().contains("is not currently accepting connections"), refused.getMessage());
        Thread.sleep(300); // the kick has run by now: the patch sleeps for 1.5 s
        assertThrows(SQLException.class, () -> old.createStatement().execute("SELECT 1"));

        OutageReport report = running.get(30, TimeUnit.SECONDS);
        assertTrue(gateOpen());
        assertEquals(1, report.sessionsKicked());
        assertTrue(report.outageMillis() >= 1500);
        assertTrue(report.patchSeconds() >= 1.5);
        try (Connection fresh = asApp();
                Statement st = fresh.createStatement()) {
            st.execute("SELECT 1");
        }
        assertEquals(1, db.count("SELECT count(*) FROM pg_class WHERE relname = 'marker'"));
    }

    private EnvironmentSettings shortLockTimeout() {
        EnvironmentSettings e = env();
        return EnvironmentSettings.builder(e.name(), e.jdbcUrl())
                .user(e.user())
                .password(e.password())
                .patches(e.patches())
                .revisionTable(e.revisionTable())
                .maintenanceDatabase(e.maintenanceDatabase())
                .staging(e.staging())
                .approvers(e.approvers())
                .signOffApprovers(e.signOffApprovers())
                .systemUsers(e.systemUsers())
                .fragileUsers(e.fragileUsers())
                .badUsers(e.badUsers())
                .quiesce(e.quiesce())
                .resume(e.resume())
                .checkUrls(e.checkUrls())
                .checkSql(e.checkSql())
                .budgets(e.budgets().withLockTimeout(java.time.Duration.ofMillis(300)))
                .build();
    }

    @Test
    void aLockHeldBeyondLockTimeoutIsRetriedWithBackoffThenFailsCleanly() throws Exception {
        Files.writeString(
                folder.resolve("patch-2300-01-0.sql"),
                "UPDATE bug SET title = title;\nCREATE TABLE after_lock (id int);\n");
        java.util.List<String> steps = new java.util.ArrayList<>();
        try (Connection holder = db.connect();
                Statement st = holder.createStatement()) {
            holder.setAutoCommit(false);
            st.execute("LOCK TABLE bug IN ACCESS EXCLUSIVE MODE"); // postgres: a system user, spared by the kick
            Outage outage = new Outage(shortLockTimeout(), request("2300-01-0"));
            ApplicationFailure e = assertThrows(ApplicationFailure.class, () -> outage.run(() -> false, steps::add));
            assertEquals("LOCK_TIMEOUT", e.getType());
            assertTrue(e.getOriginalMessage().contains("gave up after 4 attempts"), e.getOriginalMessage());
            holder.rollback();
        }
        assertTrue(gateOpen(), "the gate reopened");
        assertEquals(0, db.count("SELECT count(*) FROM pg_class WHERE relname = 'after_lock'"));
        assertEquals(0, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 1"));
    }

    @Test
    void aLockReleasedDuringTheRetriesLetsThePatchThrough() throws Exception {
        Files.writeString(
                folder.resolve("patch-2300-01-0.sql"),
                "UPDATE bug SET title = title;\nCREATE TABLE after_lock (id int);\n");
        Connection holder = db.connect();
        holder.setAutoCommit(false);
        holder.createStatement().execute("LOCK TABLE bug IN ACCESS EXCLUSIVE MODE");
        Outage outage = new Outage(shortLockTimeout(), request("2300-01-0"));
        OutageReport report = outage.run(() -> false, step -> {
            if (step.equals("terminating sessions and applying patches")) {
                // The holder lets go after the first lock timeout and its retry pause.
                CompletableFuture.runAsync(() -> {
                    try {
                        Thread.sleep(450);
                        holder.rollback();
                        holder.close();
                    } catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                });
            }
        });
        assertTrue(
                report.steps().stream().anyMatch(s -> s.message().startsWith("Lock timeout (attempt 1 of 4)")),
                report.steps().toString());
        assertTrue(gateOpen());
        assertEquals(1, db.count("SELECT count(*) FROM pg_class WHERE relname = 'after_lock'"));
        assertEquals(1, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 1"));
    }

    /**
     * The fragile users are checked in the same statement as the kick: one mid-transaction stops the
     * outage before anyone is terminated, and the gate is open again with nothing changed.
     */
    @Test
    void aFragileUserMidTransactionStopsTheKickAndNothingChanges() throws Exception {
        EnvironmentSettings env =
                env().toBuilder().fragileUsers(java.util.Set.of(app)).build();
        Files.writeString(folder.resolve("patch-2300-01-0.sql"), "CREATE TABLE bugtag (id int);\n");
        OutageRequest request = request("2300-01-0");
        try (Connection fragile = asApp();
                Connection bystander = DriverManager.getConnection(db.url());
                Statement st = fragile.createStatement()) {
            fragile.setAutoCommit(false);
            st.execute("SELECT 1"); // a transaction is open
            ApplicationFailure e =
                    assertThrows(ApplicationFailure.class, () -> new Outage(env, request).run(() -> false, step -> {}));
            assertEquals("FRAGILE_USER_BUSY", e.getType());
            assertTrue(e.getOriginalMessage().contains(app), e.getOriginalMessage());
            assertTrue(gateOpen());
            st.execute("SELECT 1"); // neither the fragile session nor a bystander was terminated
            bystander.createStatement().execute("SELECT 1");
            fragile.rollback();
        }
        assertEquals(0, db.count("SELECT count(*) FROM pg_class WHERE relname = 'bugtag'"));
    }

    /** The native gate opens with the patcher's COMMIT: the database accepts connections once it returns. */
    @Test
    void theNativeGateOpensWithTheCommit() throws Exception {
        Files.writeString(
                folder.resolve("patch-2300-01-0.sql"),
                "CREATE TABLE bugtag (id int);\nCREATE INDEX bugtag__id__idx ON bugtag (id);\n");
        OutageReport report = new Outage(env(), request("2300-01-0")).run(() -> false, step -> {});
        assertTrue(gateOpen());
        assertEquals(1, db.count("SELECT count(*) FROM pg_class WHERE relname = 'bugtag'"));
        // The transaction that recorded the patch reopened the database.
        assertEquals(
                1,
                db.count("SELECT count(*) FROM pg_database d, LaunchpadDatabaseRevision r WHERE d.datname ="
                        + " current_database() AND (r.major, r.minor, r.patch) = (2300, 1, 0) AND d.xmin = r.xmin"));
        assertFalse(report.gateOpenedAt().isBefore(report.gateClosedAt()));
    }

    @Test
    void aPatchEditedAfterApprovalIsNeverApplied() throws Exception {
        Files.writeString(folder.resolve("patch-2300-01-0.sql"), "CREATE TABLE approved (id int);\n");
        OutageRequest approved = request("2300-01-0");
        Files.writeString(folder.resolve("patch-2300-01-0.sql"), "DROP TABLE bug CASCADE;\n");
        ApplicationFailure e =
                assertThrows(ApplicationFailure.class, () -> new Outage(env(), approved).run(() -> false, step -> {}));
        assertEquals("PATCH_CHANGED", e.getType());
        assertTrue(gateOpen());
        assertEquals(1, db.count("SELECT count(*) FROM pg_class WHERE relname = 'bug'"));
    }

    @Test
    void abortBeforeCommitRollsBackAndReopens() throws Exception {
        Files.writeString(folder.resolve("patch-2300-01-0.sql"), "CREATE TABLE never (id int);\n");
        boolean[] aborted = {false};
        Outage outage = new Outage(env(), request("2300-01-0"));
        assertThrows(
                Outage.CancelledOutage.class,
                () -> outage.run(() -> aborted[0], step -> {
                    if (step.equals("terminating sessions and applying patches")) {
                        aborted[0] = true;
                    }
                }));
        assertTrue(gateOpen());
        assertEquals(0, db.count("SELECT count(*) FROM pg_class WHERE relname = 'never'"));
        assertFalse(db.count("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 1") > 0);
    }

    @Test
    void gateNamesAreQuotedAgainstInjection() {
        assertEquals("\"a\"\"; DROP DATABASE x; --\"", NativeGate.quoteIdent("a\"; DROP DATABASE x; --"));
        assertEquals(Duration.ofSeconds(5), env().budgets().heartbeatTimeout());
    }

    /**
     * A zombie outage: armed, then its window gave it up (the compensation reopened the gate and recorded it) while
     * its worker was cut off; when the worker comes back at the window's start, it must not close the gate.
     */
    @Test
    void anOutageItsWindowGaveUpNeverClosesTheGate() throws Exception {
        Files.writeString(folder.resolve("patch-2300-01-0.sql"), "CREATE TABLE zombie (id int);\n");
        OutageRequest armed =
                request("2300-01-0").armedAt(java.time.Instant.now().plusMillis(1500));
        Outage outage = new Outage(env(), armed);
        CompletableFuture<Exception> running = failureOf(outage);
        Thread.sleep(300); // armed: connected, files checked, waiting for its start
        try (Connection c = db.connect()) {
            Fence.giveUp(c, armed.deploymentId());
        }
        Exception e = running.get(30, TimeUnit.SECONDS);
        assertTrue(e instanceof Outage.CancelledOutage, "refused: " + e);
        assertTrue(e.getMessage().contains("the gate was not closed"), e.getMessage());
        assertTrue(gateOpen(), "the gate stays open");
        assertEquals(0, db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'zombie'"), "nothing applied");
    }

    @Test
    void theCompensationRecordsTheOutageAsGivenUp() throws Exception {
        new OutageActivitiesImpl(new org.fastdowntime.env.Environments(java.util.Map.of("gate", env())))
                .reopenGate("gate", "gate-test-given-up");
        assertEquals(
                1,
                db.count(
                        "SELECT count(*) FROM fastdowntime.outages_given_up WHERE deployment_id = 'gate-test-given-up'"));
        assertTrue(gateOpen());
    }

    /**
     * A silent network: the patcher's connection stops carrying anything mid-outage (no packet refused, none
     * answered). The outage fails within its watch's limit, the gate is open again (new connections still pass),
     * and nothing is committed.
     */
    @Test
    void aDatabaseThatGoesSilentMidOutageFailsItInSecondsWithTheGateOpen() throws Exception {
        Files.writeString(
                folder.resolve("patch-2300-01-0.sql"), "SELECT pg_sleep(20);\nCREATE TABLE partitioned (id int);\n");
        try (org.fastdowntime.testing.FreezingProxy proxy = org.fastdowntime.testing.FreezingProxy.to(5432)) {
            EnvironmentSettings viaProxy = EnvironmentSettings.builder(
                            "gate",
                            db.url().replaceAll("\\?.*$", "").replace("127.0.0.1:5432", "127.0.0.1:" + proxy.port()))
                    .patches(folder)
                    .budgets(org.fastdowntime.env.Budgets.defaults().withHeartbeatTimeout(Duration.ofSeconds(3)))
                    .build();
            Outage outage = new Outage(viaProxy, request("2300-01-0"));
            CompletableFuture<Exception> running = failureOf(outage);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (sleeping() == 0) {
                assertTrue(System.nanoTime() < deadline, "the patch never started");
                Thread.sleep(20);
            }
            proxy.freezeAll();
            long frozenAt = System.nanoTime();
            Exception e = running.get(60, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - frozenAt) / 1e9;
            assertTrue(e instanceof ApplicationFailure, "failed: " + e);
            assertEquals("DATABASE_UNREACHABLE", ((ApplicationFailure) e).getType());
            assertTrue(e.getMessage().contains("stopped answering"), e.getMessage());
            assertTrue(seconds < 5 + 10, "failed " + seconds + " s after the network went silent (limit 5 s)");
            assertTrue(gateOpen(), "the gate is open again");
        }
        try (Connection c = TestDatabase.admin();
                Statement st = c.createStatement()) {
            // What the window's compensation does: end the patcher's session the silent network left behind.
            st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE"
                    + " 'fastdowntime:gate-test%'");
        }
        assertEquals(
                0, db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'partitioned'"), "nothing committed");
    }

    /**
     * The COMMIT goes in the same round trip as the patches: an abort while they run cancels the running
     * statement, so the server never reaches the COMMIT; the gate is open again and nothing is applied.
     */
    @Test
    void anAbortWhileThePatchesRunStopsTheirRoundTripBeforeItsCommit() throws Exception {
        Files.writeString(
                folder.resolve("patch-2300-01-0.sql"), "CREATE TABLE never (id int);\nSELECT pg_sleep(20);\n");
        assertAbortedMidRoundTrip(() -> sleeping() > 0);
    }

    /**
     * PostgreSQL cancels a running statement only, and between two statements of a round trip the server is
     * reading the next one, where a cancel is lost (the outage sends it again until the round trip ends). Among a
     * hundred thousand tiny statements the abort still stops the round trip before its COMMIT.
     */
    @Test
    void anAbortBetweenTinyStatementsStillStopsTheRoundTripBeforeItsCommit() throws Exception {
        Files.writeString(
                folder.resolve("patch-2300-01-0.sql"),
                "CREATE TABLE never (id int);\n" + "SELECT 1;\n".repeat(100_000));
        assertAbortedMidRoundTrip(() -> {
            try (Connection c = TestDatabase.admin(); // the target's gate is closed
                    Statement st = c.createStatement();
                    java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE query ="
                            + " 'SELECT 1' AND application_name LIKE 'fastdowntime:gate-test%'")) {
                return rs.next() && rs.getLong(1) > 0;
            }
        });
    }

    private void assertAbortedMidRoundTrip(Check running) throws Exception {
        boolean[] aborted = {false};
        Outage outage = new Outage(env(), request("2300-01-0"));
        CompletableFuture<Exception> result = CompletableFuture.supplyAsync(() -> {
            try {
                outage.run(() -> aborted[0], step -> {});
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!running.ok()) {
            assertTrue(System.nanoTime() < deadline, "the patches never started");
            Thread.sleep(1);
        }
        aborted[0] = true;
        outage.cancelRunningStatement(); // what the activity does when its heartbeat learns of the abort
        Exception e = result.get(60, TimeUnit.SECONDS);
        assertTrue(e instanceof Outage.CancelledOutage, "cancelled: " + e);
        assertTrue(gateOpen());
        assertEquals(0, db.count("SELECT count(*) FROM pg_class WHERE relname = 'never'"));
        assertEquals(0, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 1"));
    }

    @FunctionalInterface
    private interface Check {
        boolean ok() throws Exception;
    }

    /** Sessions sleeping in the patch, asked of the maintenance database (the target's gate may be closed). */
    private static long sleeping() throws SQLException {
        try (Connection c = TestDatabase.admin();
                Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery(
                        "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(20)%'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Runs {@code outage} in the background; completes with how it failed, or null when it did not. */
    private static CompletableFuture<Exception> failureOf(Outage outage) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                outage.run(() -> false, step -> {});
                return null;
            } catch (Exception e) {
                return e;
            }
        });
    }
}
