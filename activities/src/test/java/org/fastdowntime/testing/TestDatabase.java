package org.fastdowntime.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A new, empty PostgreSQL database for each test, dropped afterwards (with any sessions still in
 * it). Server: {@code FASTDOWNTIME_TEST_PG} (a JDBC URL to the maintenance database), default
 * 127.0.0.1:5432 as postgres.
 */
public final class TestDatabase implements BeforeEachCallback, AfterEachCallback {
    public static final String SERVER = System.getenv()
            .getOrDefault("FASTDOWNTIME_TEST_PG", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");

    private String name;

    @Override
    public void beforeEach(ExtensionContext context) throws SQLException {
        name = "fdt_test_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = admin();
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws SQLException {
        drop(name);
    }

    public static void drop(String database) throws SQLException {
        try (Connection c = admin();
                Statement st = c.createStatement()) {
            st.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
            st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            if (!"3D000".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    public static Connection admin() throws SQLException {
        return DriverManager.getConnection(SERVER);
    }

    public String name() {
        return name;
    }

    /** JDBC URL of this test's database, as the postgres superuser. */
    public String url() {
        return SERVER.replaceFirst("/postgres\\?", "/" + name + "?");
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url());
    }

    /** Runs SQL in this database (autocommit). */
    public void exec(String sql) throws SQLException {
        try (Connection c = connect();
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    public long count(String sql) throws SQLException {
        try (Connection c = connect();
                Statement st = c.createStatement();
                var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Copies the demo patch folder's files whose names pass {@code which} into {@code to}. */
    /**
     * A patch folder {@code dir/patches} with the demo patches {@code which} selects, and this database built from
     * its baseline.
     */
    public Path demoFolder(Path dir, java.util.function.Predicate<String> which) throws Exception {
        Path folder = java.nio.file.Files.createDirectories(dir.resolve("patches"));
        copyDemoPatches(folder, which);
        loadBaseline(folder);
        return folder;
    }

    public static void copyDemoPatches(Path to, java.util.function.Predicate<String> which) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(demoPatches())) {
            for (Path f :
                    files.filter(f -> which.test(f.getFileName().toString())).toList()) {
                java.nio.file.Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    /** Builds this test's database from {@code folder}'s baseline. */
    public void loadBaseline(Path folder) throws Exception {
        try (Connection c = connect()) {
            new org.fastdowntime.patch.PatchEngine(org.fastdowntime.patch.EngineSettings.defaults())
                    .loadBaseline(c, org.fastdowntime.patch.PatchFolder.scan(folder, "LaunchpadDatabaseRevision", 15));
        }
    }

    /** The project's demo patch folder. */
    public static Path demoPatches() {
        String p = System.getProperty("fastdowntime.patches");
        return p != null ? Path.of(p) : Path.of("..", "patches");
    }

    /**
     * A minimal environment on this database: the patch folder, superuser patcher, no staging, no
     * hooks.
     */
    public org.fastdowntime.env.EnvironmentSettings environment(
            String name, java.nio.file.Path folder, java.util.List<String> approvers) {
        return org.fastdowntime.env.EnvironmentSettings.builder(name, url().replaceAll("\\?.*$", ""))
                .patches(folder)
                .approvers(approvers)
                .build();
    }

    /**
     * Whether this database accepts connections (its native gate is open), read from the maintenance
     * database: a connection to the database itself is refused while the gate is closed.
     */
    public boolean gateOpen() throws SQLException {
        try (Connection c = admin();
                var ps = c.prepareStatement("SELECT datallowconn FROM pg_database WHERE datname = ?")) {
            ps.setString(1, name());
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * Asserts that {@code database} accepts connections again (its gate is open) and holds no prepared transaction:
     * how every fleet window must leave each member, whatever happened.
     */
    public static void assertGateOpenAndNothingPrepared(String database) throws SQLException {
        try (Connection c = admin();
                var ps = c.prepareStatement("SELECT datallowconn, (SELECT count(*) FROM pg_prepared_xacts"
                        + " WHERE database = d.datname) FROM pg_database d WHERE datname = ?")) {
            ps.setString(1, database);
            try (var rs = ps.executeQuery()) {
                org.junit.jupiter.api.Assertions.assertTrue(rs.next(), database + " exists");
                org.junit.jupiter.api.Assertions.assertTrue(rs.getBoolean(1), database + "'s gate is open again");
                org.junit.jupiter.api.Assertions.assertEquals(
                        0, rs.getLong(2), database + " has no prepared transaction left");
            }
        }
    }
}
