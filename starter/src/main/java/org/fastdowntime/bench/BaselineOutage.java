package org.fastdowntime.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import org.fastdowntime.gate.ConnectionGate;
import org.fastdowntime.pgbouncer.PgBouncerAdmin;
import org.fastdowntime.pgbouncer.PgBouncerGate;
import org.fastdowntime.pgbouncer.PgBouncerSettings;

/**
 * The hand-written outage the benchmark compares fastdowntime with: the same mechanism, no
 * orchestration, as a DBA would type it with the sessions already open, and the apply by {@code psql
 * -1 -v ON_ERROR_STOP=1}. Native: from the maintenance database close the gate and terminate every
 * other session, psql applies the patch files in one transaction, open the gate. pgbouncer: PAUSE,
 * psql applies, RESUME. Or, {@code --baseline script}, pgbouncer's steps as a shell script runs them.
 */
final class BaselineOutage {
    private BaselineOutage() {}

    /** Gate closed → open, and psql's apply (BEGIN … COMMIT) inside it, in milliseconds. */
    record Result(double outageMs, double applyMs) {}

    static Result nativeGate(Path bin, int port, String maintenanceUrl, String database, List<Path> files)
            throws Exception {
        try (PsqlApply psql = PsqlApply.open(bin, port, database);
                Connection maintenance = DriverManager.getConnection(maintenanceUrl);
                Statement gate = maintenance.createStatement();
                PreparedStatement kick = maintenance.prepareStatement(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = ? AND pid <> ?")) {
            kick.setString(1, database);
            kick.setInt(2, psql.pid());
            long closed = System.nanoTime();
            gate.execute("ALTER DATABASE " + database + " WITH ALLOW_CONNECTIONS false");
            kick.executeQuery().close();
            double apply = psql.apply(files);
            gate.execute("ALTER DATABASE " + database + " WITH ALLOW_CONNECTIONS true");
            return new Result((System.nanoTime() - closed) / 1e6, apply);
        }
    }

    /**
     * pgbouncer's outage as a shell script runs it, one psql process per step: PAUSE, {@code psql -1
     * -v ON_ERROR_STOP=1 -f …} straight to the database, RESUME. The apply is psql's whole run, its
     * start and connection included. (The native gate has no such script: once it is closed, a psql
     * started afterwards cannot connect.)
     */
    static Result pgbouncerScript(PgBouncerSettings settings, Path bin, int port, String database, List<Path> files)
            throws Exception {
        PgBouncerAdmin admin = new PgBouncerAdmin(settings);
        String pooled = settings.databases().get(0);
        long closed = System.nanoTime();
        admin.run("PAUSE " + pooled);
        double apply;
        try {
            apply = PsqlApply.applyAsScript(bin, port, database, files);
        } finally {
            admin.run("RESUME " + pooled); // the clients go on, whatever psql said
        }
        return new Result((System.nanoTime() - closed) / 1e6, apply);
    }

    static Result pgbouncer(PgBouncerSettings settings, Path bin, int port, String database, List<Path> files)
            throws Exception {
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
        try (PsqlApply psql = PsqlApply.open(bin, port, database)) {
            gate.prepare();
            long closed = System.nanoTime();
            gate.close();
            double apply = psql.apply(files);
            gate.open();
            return new Result((System.nanoTime() - closed) / 1e6, apply);
        } finally {
            gate.release();
        }
    }
}
