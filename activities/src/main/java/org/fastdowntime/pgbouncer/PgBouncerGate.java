package org.fastdowntime.pgbouncer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fastdowntime.gate.ConnectionGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pooler's gate: {@code PAUSE db} lets running transactions finish and holds every new one
 * until RESUME, so clients of a short outage see a stall, not an error. If transactions still run
 * when the bounded wait runs out, it falls back to Launchpad's way, {@code DISABLE} + {@code KILL}.
 * The database's native gate is closed too, so clients that bypass the pooler cannot slip in: while
 * PAUSE waits for the transactions in flight, not after. Opening: the native gate with the patcher's
 * COMMIT (or on its own when there was none), then {@code RESUME}, and {@code ENABLE} where the
 * fallback disabled the database — each idempotent.
 */
public final class PgBouncerGate implements ConnectionGate {
    private static final Logger log = LoggerFactory.getLogger(PgBouncerGate.class);

    private final PgBouncerSettings settings;
    private final PgBouncerAdmin admin;
    private final ConnectionGate direct;
    private PsqlSession session;
    /** Databases the fallback disabled, which opening enables again. */
    private final java.util.Set<String> disabled = new java.util.LinkedHashSet<>();
    /** Whether this gate closed itself (compensation opens with a gate that did not). */
    private boolean closedHere;
    /** Whether the native gate opened with the patcher's transaction. */
    private boolean directOpened;

    public PgBouncerGate(PgBouncerSettings settings, ConnectionGate direct) {
        this.settings = settings;
        this.admin = new PgBouncerAdmin(settings);
        this.direct = direct;
    }

    @Override
    public String name() {
        return "pgbouncer";
    }

    /**
     * Opens the admin session and the native gate's connection before the outage clock starts, so
     * closing and opening cost a round trip each.
     */
    @Override
    public void prepare() throws Exception {
        direct.prepare();
        session = admin.session();
        PsqlSession.Pending hello = session.send("SHOW VERSION");
        if (hello.await(java.time.Duration.ofSeconds(10)) == null) {
            throw new IOException("pgbouncer's admin console did not answer within 10 s");
        }
    }

    @Override
    public String close() throws Exception {
        closedHere = true;
        List<String> said = new ArrayList<>();
        String directClosed = null;
        long deadline = System.nanoTime() + settings.pauseTimeout().toNanos();
        for (String db : settings.databases()) {
            boolean viaSession = session != null && session.alive();
            PsqlSession.Pending pause = viaSession ? session.send("PAUSE " + quoted(db)) : null;
            PgBouncerAdmin.Running process = viaSession ? null : admin.start("PAUSE " + quoted(db));
            if (directClosed == null) { // while the first PAUSE waits for its transactions
                directClosed = direct.close();
            }
            java.time.Duration left = java.time.Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            boolean done = viaSession ? pause.await(left) != null : process.await(left);
            if (done) {
                said.add("PAUSE " + db);
                continue;
            }
            log.warn("PAUSE {} still waits for transactions after {}: DISABLE + KILL", db, settings.pauseTimeout());
            admin.run("DISABLE " + quoted(db));
            disabled.add(db);
            admin.run("KILL " + quoted(db));
            boolean finished = viaSession
                    ? pause.await(java.time.Duration.ofSeconds(5)) != null
                    : process.await(java.time.Duration.ofSeconds(5));
            if (!finished) {
                if (viaSession) {
                    session.close();
                    session = null;
                } else {
                    process.kill();
                }
            }
            said.add("PAUSE "
                    + db
                    + " did not finish within "
                    + settings.pauseTimeout().toMillis()
                    + " ms: fell back to DISABLE + KILL");
        }
        said.add(directClosed == null ? direct.close() : directClosed);
        return String.join("; ", said);
    }

    /** The native gate's opening: RESUME cannot be part of a transaction, open() follows. */
    @Override
    public String openingStatement() {
        return direct.openingStatement();
    }

    @Override
    public boolean committed() {
        directOpened = direct.committed();
        return false;
    }

    @Override
    public void open() throws Exception {
        Exception first = null;
        try {
            if (!directOpened) {
                direct.open();
            }
        } catch (Exception e) {
            first = e;
        }
        for (String db : settings.databases()) {
            try {
                resume(db);
                // A gate that closed itself without falling back to DISABLE has nothing to enable (a round trip
                // less inside the outage). Any other sends ENABLE, which pgbouncer takes idempotently: compensation
                // runs with a new gate, after a worker that may have sent DISABLE and died.
                if (!closedHere || disabled.contains(db)) {
                    run("ENABLE " + quoted(db));
                    disabled.remove(db);
                }
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void release() {
        direct.release();
        if (session != null) {
            session.close();
            session = null;
        }
    }

    /** Through the open session when there is one, else through a psql of its own. */
    private void run(String command) throws IOException, InterruptedException {
        if (session != null && session.alive()) {
            if (session.send(command).await(java.time.Duration.ofSeconds(30)) == null) {
                throw new IOException("pgbouncer did not answer '" + command + "' within 30 s");
            }
        } else {
            admin.run(command);
        }
    }

    private void resume(String db) throws IOException, InterruptedException {
        try {
            run("RESUME " + quoted(db));
        } catch (IOException e) {
            if (!e.getMessage().contains("not paused")) {
                throw e;
            }
        }
    }

    /** For preflight: each configured database is known to pgbouncer, neither paused nor disabled. */
    public String check() throws IOException, InterruptedException {
        List<Map<String, String>> dbs = admin.show("DATABASES");
        List<Map<String, String>> pools = admin.show("POOLS");
        List<String> out = new ArrayList<>();
        for (String db : settings.databases()) {
            Map<String, String> row = dbs.stream()
                    .filter(r -> db.equals(r.get("name")))
                    .findFirst()
                    .orElseThrow(() -> new IOException(
                            "pgbouncer " + settings.host() + ":" + settings.port() + " has no database " + db));
            if (!"0".equals(row.get("paused")) || !"0".equals(row.get("disabled"))) {
                throw new IOException("pgbouncer database "
                        + db
                        + " is already paused or disabled (paused="
                        + row.get("paused")
                        + ", disabled="
                        + row.get("disabled")
                        + ")");
            }
            long active = 0;
            long waiting = 0;
            for (Map<String, String> p : pools) {
                if (db.equals(p.get("database"))) {
                    active += Long.parseLong(p.getOrDefault("cl_active", "0"));
                    waiting += Long.parseLong(p.getOrDefault("cl_waiting", "0"));
                }
            }
            out.add(db + ": " + active + " client(s) active, " + waiting + " waiting");
        }
        return "pgbouncer " + String.join("; ", out);
    }

    /**
     * A database name as the admin console reads it: double-quoted (pgbouncer's console takes only lower-case
     * letters, digits and _ unquoted; {@code my-db}, {@code a.b} or {@code MyDb} need the quotes).
     */
    static String quoted(String db) {
        return "\"" + db.replace("\"", "\"\"") + "\"";
    }
}
