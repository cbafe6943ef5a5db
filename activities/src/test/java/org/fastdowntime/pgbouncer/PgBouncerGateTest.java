package org.fastdowntime.pgbouncer;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.gate.ConnectionGate;
import org.fastdowntime.gate.Gates;
import org.fastdowntime.gate.Outage;
import org.fastdowntime.gate.Preflight;
import org.fastdowntime.model.OutageReport;
import org.fastdowntime.model.OutageRequest;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchKind;
import org.fastdowntime.patch.EngineSettings;
import org.fastdowntime.patch.PatchEngine;
import org.fastdowntime.patch.PatchFile;
import org.fastdowntime.patch.PatchFolder;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pgbouncer gate against a real pgbouncer (transaction pooling) in front of the test database.
 */
class PgBouncerGateTest {
    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path folder;

    String app;
    LocalPgBouncer bouncer;

    @BeforeEach
    void start() throws Exception {
        Files.copy(TestDatabase.demoPatches().resolve("demo-2300-00-0.sql"), folder.resolve("demo-2300-00-0.sql"));
        try (Connection c = db.connect()) {
            new PatchEngine(EngineSettings.defaults())
                    .loadBaseline(c, PatchFolder.scan(folder, "LaunchpadDatabaseRevision", 15));
        }
        app = "fdt_pgb_app_" + db.name().substring(9);
        try (Connection c = TestDatabase.admin();
                Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + app + " LOGIN");
        }
        db.exec("GRANT ALL ON ALL TABLES IN SCHEMA public TO "
                + app
                + "; GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "
                + app);
        String target = "host=127.0.0.1 port=5432 dbname=" + db.name();
        bouncer = LocalPgBouncer.start(
                Map.of("app", target, "app2", target, "My-App.v2", target), List.of("postgres", app), 20);
    }

    @AfterEach
    void stop() throws Exception {
        bouncer.close();
        TestDatabase.drop(db.name());
        try (Connection c = TestDatabase.admin();
                Statement st = c.createStatement()) {
            st.execute("DROP ROLE IF EXISTS " + app);
        }
    }

    private EnvironmentSettings env(Duration pauseTimeout, String... databases) {
        return EnvironmentSettings.builder("pgb", db.url().replaceAll("\\?.*$", ""))
                .patches(folder)
                .pgbouncer(new PgBouncerSettings(
                        "127.0.0.1", bouncer.port(), "postgres", null, List.of(databases), pauseTimeout))
                .build();
    }

    private Connection client(String database) throws SQLException {
        return DriverManager.getConnection(bouncer.url(database, app));
    }

    private Map<String, String> database(String name) throws Exception {
        return new PgBouncerAdmin(env(Duration.ofSeconds(1), "app").pgbouncer())
                .show("DATABASES").stream()
                        .filter(r -> name.equals(r.get("name")))
                        .findFirst()
                        .orElseThrow();
    }

    private boolean paused(String name) throws Exception {
        return "1".equals(database(name).get("paused"));
    }

    @Test
    void aShortTransactionDuringPauseFinishesAndNewClientsWaitInsteadOfFailing() throws Exception {
        ConnectionGate gate = Gates.of(env(Duration.ofSeconds(5), "app"), "test");
        try (Connection a = client("app");
                Statement st = a.createStatement()) {
            a.setAutoCommit(false);
            st.execute("UPDATE bug SET title = title WHERE id = 1");
            CompletableFuture<String> closing = CompletableFuture.supplyAsync(() -> {
                try {
                    return gate.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            assertFalse(closing.isDone(), "PAUSE waits for the running transaction");
            a.commit(); // no error: PAUSE let it finish
            String said = closing.get(10, TimeUnit.SECONDS);
            assertTrue(said.startsWith("PAUSE app;"), said);
        }
        assertTrue(paused("app"));
        AtomicLong waited = new AtomicLong();
        CompletableFuture<Integer> newcomer = CompletableFuture.supplyAsync(() -> {
            long t0 = System.nanoTime();
            try (Connection b = client("app");
                    Statement st = b.createStatement();
                    var rs = st.executeQuery("SELECT count(*) FROM bug")) {
                rs.next();
                waited.set(System.nanoTime() - t0);
                return rs.getInt(1);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(400);
        assertFalse(newcomer.isDone(), "a new client waits while paused");
        gate.open();
        assertEquals(2000, newcomer.get(10, TimeUnit.SECONDS));
        assertTrue(waited.get() >= TimeUnit.MILLISECONDS.toNanos(350), "it stalled rather than failed");
        assertFalse(paused("app"));
    }

    @Test
    void aTransactionHeldPastTheWaitIsCutOffAndNewClientsAreRefusedUntilOpen() throws Exception {
        ConnectionGate gate = Gates.of(env(Duration.ofMillis(500), "app"), "test");
        try (Connection a = client("app");
                Statement st = a.createStatement()) {
            a.setAutoCommit(false);
            st.execute("UPDATE bug SET title = title WHERE id = 1");
            String said = gate.close();
            assertTrue(said.contains("did not finish within 500 ms: fell back to DISABLE + KILL"), said);
            assertThrows(SQLException.class, () -> st.execute("SELECT 1"));
        }
        assertEquals("1", database("app").get("disabled"));
        assertThrows(SQLException.class, () -> client("app").close());
        gate.open();
        assertEquals("0", database("app").get("disabled"));
        try (Connection c = client("app");
                Statement st = c.createStatement()) {
            st.execute("SELECT 1");
        }
    }

    @Test
    void anOutageBehindPgBouncerCostsClientsAStallNotAnError() throws Exception {
        Files.writeString(
                folder.resolve("patch-2300-01-0.sql"), "ALTER TABLE bug ADD COLUMN heat integer NOT NULL DEFAULT 0;\n");
        EnvironmentSettings env = env(Duration.ofSeconds(5), "app");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Thread t = new Thread(() -> {
                try (Connection c = client("app");
                        Statement st = c.createStatement()) {
                    c.setAutoCommit(false);
                    while (running.get()) {
                        try {
                            st.execute("UPDATE bug SET date_last_updated = now() WHERE id = 7");
                            c.commit();
                            ok.incrementAndGet();
                        } catch (SQLException e) {
                            failed.incrementAndGet();
                            c.rollback();
                        }
                    }
                } catch (SQLException e) {
                    failed.incrementAndGet();
                }
            });
            t.start();
            clients.add(t);
        }
        Thread.sleep(300);
        PatchFile f = PatchFolder.scan(folder, "LaunchpadDatabaseRevision", 15)
                .find(PatchId.parse("2300-01-0"))
                .orElseThrow();
        OutageReport report = new Outage(
                        env,
                        new OutageRequest(
                                "pgb",
                                "pgb-test",
                                List.of(new PatchCandidate(f.id(), f.fileName(), f.sha256(), PatchKind.COLD))))
                .run(() -> false, s -> {});
        long before = ok.get();
        Thread.sleep(300);
        running.set(false);
        for (Thread t : clients) {
            t.join(5000);
        }
        assertEquals("pgbouncer", report.gate());
        assertEquals(0, failed.get(), "no client transaction failed");
        assertTrue(ok.get() > before, "clients went on after the outage");
        assertEquals(0, report.sessionsKicked(), "PAUSE released every server connection: nothing left to kill");
        assertFalse(paused("app"));
        assertEquals(1, db.count("SELECT count(*) FROM information_schema.columns WHERE column_name = 'heat'"));
    }

    @Test
    void theGateReopensWhenThePatchFails() throws Exception {
        Files.writeString(folder.resolve("patch-2300-01-0.sql"), "ALTER TABLE nothing_here ADD COLUMN x int;\n");
        PatchFile f = PatchFolder.scan(folder, "LaunchpadDatabaseRevision", 15)
                .find(PatchId.parse("2300-01-0"))
                .orElseThrow();
        Outage outage = new Outage(
                env(Duration.ofSeconds(5), "app", "app2"),
                new OutageRequest(
                        "pgb",
                        "pgb-fail",
                        List.of(new PatchCandidate(f.id(), f.fileName(), f.sha256(), PatchKind.COLD))));
        ApplicationFailure e = assertThrows(ApplicationFailure.class, () -> outage.run(() -> false, s -> {}));
        assertEquals("PATCH_FAILED", e.getType());
        assertFalse(paused("app"));
        assertFalse(paused("app2"));
        assertEquals("0", database("app").get("disabled"));
        try (Connection c = client("app2");
                Statement st = c.createStatement()) {
            st.execute("SELECT 1");
        }
    }

    @Test
    void severalPgBouncerDatabasesOfOneDatabaseArePausedTogether() throws Exception {
        ConnectionGate gate = Gates.of(env(Duration.ofSeconds(5), "app", "app2"), "test");
        gate.close();
        assertTrue(paused("app"));
        assertTrue(paused("app2"));
        gate.open();
        gate.open(); // idempotent
        assertFalse(paused("app"));
        assertFalse(paused("app2"));
    }

    /**
     * A worker that fell back to DISABLE + KILL and died: the compensation's gate is a new one, which never saw the
     * DISABLE, and still leaves the database enabled and resumed.
     */
    @Test
    void aDisableLeftByAWorkerThatDiedIsUndoneByTheCompensationsGate() throws Exception {
        PgBouncerAdmin admin =
                new PgBouncerAdmin(env(Duration.ofSeconds(1), "app").pgbouncer());
        admin.run("PAUSE app");
        admin.run("DISABLE app");
        assertTrue(paused("app"));
        assertEquals("1", database("app").get("disabled"));
        Gates.of(env(Duration.ofSeconds(5), "app"), "compensation").open();
        assertFalse(paused("app"));
        assertEquals("0", database("app").get("disabled"), "enabled again: later preflights would refuse it");
        assertTrue(
                new PgBouncerGate(env(Duration.ofSeconds(5), "app").pgbouncer(), null)
                        .check()
                        .startsWith("pgbouncer app: "),
                "the next window's preflight passes");
    }

    /** pgbouncer's console reads only lower-case letters, digits and _ unquoted: every name goes quoted. */
    @Test
    void aDatabaseNameWithCapitalsDashesAndDotsIsPausedAndResumed() throws Exception {
        ConnectionGate gate = Gates.of(env(Duration.ofSeconds(5), "My-App.v2"), "test");
        gate.close();
        assertTrue(paused("My-App.v2"));
        gate.open();
        assertFalse(paused("My-App.v2"));
    }

    @Test
    void preflightReadsThePoolsAndRefusesAnAlreadyPausedDatabase() throws Exception {
        EnvironmentSettings env = env(Duration.ofSeconds(5), "app");
        try (Connection c = db.connect()) {
            List<String> passed = new Preflight(env).run(c, false);
            assertTrue(passed.stream().anyMatch(p -> p.startsWith("pgbouncer app: ")), passed.toString());
            new PgBouncerAdmin(env.pgbouncer()).run("PAUSE app");
            ApplicationFailure e = assertThrows(ApplicationFailure.class, () -> new Preflight(env).run(c, false));
            assertEquals("PREFLIGHT_FAILED", e.getType());
            assertTrue(e.getOriginalMessage().contains("already paused"), e.getOriginalMessage());
        }
    }

    @Test
    void pgbouncerDownFailsThePreflightAndTheGateCleanlyWithNothingChanged() throws Exception {
        Files.writeString(folder.resolve("patch-2300-01-0.sql"), "CREATE TABLE behind_bouncer (id int);\n");
        PatchFile f = PatchFolder.scan(folder, "LaunchpadDatabaseRevision", 15)
                .find(PatchId.parse("2300-01-0"))
                .orElseThrow();
        EnvironmentSettings env = env(Duration.ofSeconds(5), "app");
        bouncer.close(); // pgbouncer is down
        try (Connection c = db.connect()) {
            ApplicationFailure pre = assertThrows(ApplicationFailure.class, () -> new Preflight(env).run(c, false));
            assertEquals("PREFLIGHT_FAILED", pre.getType(), pre.getOriginalMessage());
        }
        Outage outage = new Outage(
                env,
                new OutageRequest(
                        "pgb",
                        "pgb-down",
                        List.of(new PatchCandidate(f.id(), f.fileName(), f.sha256(), PatchKind.COLD))));
        ApplicationFailure e = assertThrows(ApplicationFailure.class, () -> outage.run(() -> false, s -> {}));
        assertTrue(
                e.getType().equals("GATE_FAILED") || e.getType().equals("DATABASE_UNREACHABLE"),
                e.getType() + ": " + e.getOriginalMessage());
        assertTrue(e.getOriginalMessage().contains("nothing was changed"), e.getOriginalMessage());
        assertTrue(new org.fastdowntime.gate.NativeGate(env, "test").isOpen(), "the database's own gate is open");
        assertEquals(0, db.count("SELECT count(*) FROM pg_class WHERE relname = 'behind_bouncer'"));
        String target = "host=127.0.0.1 port=5432 dbname=" + db.name();
        bouncer = LocalPgBouncer.start(Map.of("app", target, "app2", target), List.of("postgres", app), 20);
    }
}
