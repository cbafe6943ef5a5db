package org.fastdowntime.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.fastdowntime.gate.ConnectionGate;
import org.fastdowntime.pgbouncer.PgBouncerGate;
import org.fastdowntime.pgbouncer.PgBouncerSettings;

/**
 * The hand-written outage the benchmark compares fastdowntime with: the same mechanism, no
 * orchestration, as a DBA would type it with the connections already open. Native: from the
 * maintenance database close the gate and terminate every other session, apply the same patch files
 * in one transaction on a connection opened before, open the gate. pgbouncer: PAUSE, apply, RESUME.
 */
final class BaselineOutage {
    private BaselineOutage() {}

    /** Gate closed → open, and the apply (BEGIN … COMMIT) inside it, in milliseconds. */
    record Result(double outageMs, double applyMs) {}

    /** The files' text, in order, read before the outage. */
    static String script(List<Path> files) throws Exception {
        StringBuilder sql = new StringBuilder();
        for (Path f : files) {
            sql.append(Files.readString(f)).append('\n');
        }
        return sql.toString();
    }

    static Result nativeGate(String maintenanceUrl, String databaseUrl, String database, String sql) throws Exception {
        try (Connection patcher = DriverManager.getConnection(databaseUrl);
                Connection maintenance = DriverManager.getConnection(maintenanceUrl);
                Statement gate = maintenance.createStatement();
                PreparedStatement kick = maintenance.prepareStatement(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = ? AND pid <> ?")) {
            int patcherPid = pid(patcher);
            kick.setString(1, database);
            kick.setInt(2, patcherPid);
            long closed = System.nanoTime();
            gate.execute("ALTER DATABASE " + database + " WITH ALLOW_CONNECTIONS false");
            kick.executeQuery().close();
            double apply = apply(patcher, sql);
            gate.execute("ALTER DATABASE " + database + " WITH ALLOW_CONNECTIONS true");
            return new Result((System.nanoTime() - closed) / 1e6, apply);
        }
    }

    static Result pgbouncer(PgBouncerSettings settings, String databaseUrl, String sql) throws Exception {
        PgBouncerGate gate = new PgBouncerGate(settings, new ConnectionGate() {
            @Override
            public String name() {
                return "none";
            }

            @Override
            public String close() {
                return "";
            }

            @Override
            public void open() {}
        });
        try (Connection patcher = DriverManager.getConnection(databaseUrl)) {
            gate.prepare();
            long closed = System.nanoTime();
            gate.close();
            double apply = apply(patcher, sql);
            gate.open();
            return new Result((System.nanoTime() - closed) / 1e6, apply);
        } finally {
            gate.release();
        }
    }

    /** The script in one transaction, as {@code psql -1} runs it; milliseconds. */
    private static double apply(Connection c, String sql) throws Exception {
        long t0 = System.nanoTime();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
        c.commit();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static int pid(Connection c) throws Exception {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
