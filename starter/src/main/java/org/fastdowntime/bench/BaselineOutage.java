package org.fastdowntime.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fastdowntime.gate.ConnectionGate;
import org.fastdowntime.model.OutagePhase;
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

    /**
     * Gate closed → open, and psql's apply (BEGIN … COMMIT) inside it, in milliseconds; and each step's
     * milliseconds, named as fastdowntime's outage names its phases.
     */
    record Result(double outageMs, double applyMs, Map<String, Long> phaseMillis) {}

    /** Times the steps of one outage, each from the end of the one before. */
    private static final class Steps {
        private final long start = System.nanoTime();
        private long last = start;
        private final Map<String, Long> millis = new LinkedHashMap<>();

        void end(OutagePhase phase) {
            long now = System.nanoTime();
            millis.put(phase.label(), (now - last) / 1_000_000);
            last = now;
        }

        Result result(double applyMs) {
            return new Result((last - start) / 1e6, applyMs, millis);
        }
    }

    static Result nativeGate(Path bin, int port, String maintenanceUrl, String database, List<Path> files)
            throws Exception {
        try (PsqlApply psql = PsqlApply.open(bin, port, database);
                Connection maintenance = DriverManager.getConnection(maintenanceUrl);
                Statement gate = maintenance.createStatement();
                PreparedStatement kick = maintenance.prepareStatement(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = ? AND pid <> ?")) {
            kick.setString(1, database);
            kick.setInt(2, psql.pid());
            Steps steps = new Steps();
            gate.execute("ALTER DATABASE " + database + " WITH ALLOW_CONNECTIONS false");
            steps.end(OutagePhase.CLOSE_GATE);
            kick.executeQuery().close();
            steps.end(OutagePhase.KICK);
            double apply = psql.apply(files);
            steps.end(OutagePhase.APPLY);
            gate.execute("ALTER DATABASE " + database + " WITH ALLOW_CONNECTIONS true");
            steps.end(OutagePhase.OPEN_GATE);
            return steps.result(apply);
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
        Steps steps = new Steps();
        admin.run("PAUSE " + pooled);
        steps.end(OutagePhase.CLOSE_GATE);
        double apply;
        try {
            apply = PsqlApply.applyAsScript(bin, port, database, files);
            steps.end(OutagePhase.APPLY);
        } finally {
            admin.run("RESUME " + pooled); // the clients go on, whatever psql said
        }
        steps.end(OutagePhase.OPEN_GATE);
        return steps.result(apply);
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
            Steps steps = new Steps();
            gate.close();
            steps.end(OutagePhase.CLOSE_GATE);
            double apply = psql.apply(files);
            steps.end(OutagePhase.APPLY);
            gate.open();
            steps.end(OutagePhase.OPEN_GATE);
            return steps.result(apply);
        } finally {
            gate.release();
        }
    }
}
