package org.fastdowntime.bench;

import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.pgbouncer.LocalPgBouncer;
import org.fastdowntime.pgbouncer.PgBouncerSettings;
import org.fastdowntime.sandbox.DemoCommand;
import org.fastdowntime.sandbox.LocalTemporal;
import org.fastdowntime.sandbox.ThrowawayCluster;

/**
 * The world the downtime benchmark starts and stops: a throwaway PostgreSQL cluster with one database per
 * outage (bench_0 for the warm-up window, bench_R and its twin bench_R_b for each repeat's two outages), pgbench's
 * data where it loads them, pgbouncer for its gate, streaming standbys with --standbys, and the embedded Temporal service with a worker serving one
 * environment per database. Closing it stops everything, in reverse.
 */
final class BenchWorld implements AutoCloseable {
    static final String ROLE = "fdt_bench_app";
    static final String QUEUE = "fastdowntime-bench";

    /** Where a repeat's load connects: the database (directly or through pgbouncer) and its pgbench name. */
    record Endpoint(String jdbcUrl, String host, int port, String database, String user, String db) {}

    private final DowntimeOptions o;
    private final CpuPlacement placement;
    private final ThrowawayCluster cluster;
    private LocalPgBouncer bouncer;
    private BenchStandbys standbys;
    private LocalTemporal temporal;
    private List<PatchId> cold;

    private BenchWorld(DowntimeOptions o, CpuPlacement placement, ThrowawayCluster cluster) {
        this.o = o;
        this.placement = placement;
        this.cluster = cluster;
    }

    static BenchWorld start(DowntimeOptions o, CpuPlacement placement, Path folder) throws Exception {
        boolean baseline = o.baseline != null;
        // pgbouncer keeps each database's pool of server connections open: room for all of them.
        int databases = o.repeat * (baseline ? 2 : 1) + 1; // and the warm-up window's
        int connections = o.clients + 60 + (o.gate == DowntimeOptions.Gate.PGBOUNCER ? o.poolSize * databases : 0);
        // WAL room for every database's pgbench data, so no checkpoint is forced in the middle of a repeat.
        BenchWorld world = new BenchWorld(
                o,
                placement,
                ThrowawayCluster.start(
                        "-c max_connections=" + connections + " -c max_wal_size=8GB -c checkpoint_timeout=1h"));
        try {
            world.pinDatabase(world.cluster.postmasterPid());
            world.populate(folder);
            if (o.standbys > 0) {
                world.standbys = BenchStandbys.start(world.cluster, o.standbys, world.databases());
            }
            world.serve(folder);
            return world;
        } catch (Exception e) {
            world.close();
            throw e;
        }
    }

    /** One database per outage, with the project's schema (and pgbench's data); then a checkpoint. */
    private void populate(Path folder) throws Exception {
        Map<String, String> pooled = new LinkedHashMap<>();
        boolean hot = DowntimeOptions.altersPgbench(folder);
        DemoCommand.createRole(cluster.url("postgres"), ROLE);
        for (String db : databases()) {
            DemoCommand.createDatabase(cluster.url("postgres"), cluster.url(db), db, ROLE, folder);
            pooled.put(db.replace("bench_", "app_"), "host=127.0.0.1 port=" + cluster.port() + " dbname=" + db);
            // The warm-up window needs pgbench's tables too when its patches alter them.
            if (o.load == DowntimeOptions.LoadKind.PGBENCH && (!db.equals("bench_0") || hot)) {
                PgbenchLoad.initialise(cluster.binaries().bin(), "127.0.0.1", cluster.port(), db, o.scale, ROLE);
            }
        }
        cold = DemoCommand.plan(cluster.url("bench_1"), folder).pendingCold();
        // Set-up wrote every database's data: flushed now, not by a checkpoint during a repeat.
        cluster.execute("CHECKPOINT");
        if (o.gate == DowntimeOptions.Gate.PGBOUNCER) {
            bouncer = LocalPgBouncer.start(pooled, List.of("postgres", ROLE), o.poolSize);
            pinDatabase(bouncer.pid());
        }
    }

    private List<String> databases() {
        List<String> all = new java.util.ArrayList<>(List.of("bench_0"));
        for (int r = 1; r <= o.repeat; r++) {
            all.add("bench_" + r);
            if (o.baseline != null) {
                all.add("bench_" + r + "_b");
            }
        }
        return all;
    }

    /** The embedded Temporal service and a worker with one environment per repeat (bench-0 the warm-up's). */
    private void serve(Path folder) throws Exception {
        Map<String, EnvironmentSettings> envs = new LinkedHashMap<>();
        for (int r = 0; r <= o.repeat; r++) {
            envs.put("bench-" + r, environment(r, folder));
        }
        temporal = LocalTemporal.start(QUEUE, envs);
    }

    /**
     * The window starts half-way through the clients' run; QA, quiesce, preflight and arming happen before it at
     * 90, 80, 70 and 50 % of that lead (with --seconds 20: preflight 7 s and arming 5 s ahead, as in production).
     */
    private EnvironmentSettings environment(int r, Path folder) {
        long lead = o.lead().toMillis();
        org.fastdowntime.env.Budgets budgets = org.fastdowntime.env.Budgets.defaults()
                .withLeads(
                        Duration.ofMillis(lead * 9 / 10),
                        Duration.ofMillis(lead * 8 / 10),
                        Duration.ofMillis(lead * 7 / 10),
                        Duration.ofMillis(lead / 2))
                .withHeartbeatTimeout(Duration.ofSeconds(3));
        EnvironmentSettings env = EnvironmentSettings.builder(
                        "bench-" + r, cluster.url("bench_" + r).replaceAll("\\?.*$", ""))
                .patches(folder.toAbsolutePath())
                .approvers(List.of(Repeat.QA))
                .budgets(budgets)
                .build();
        if (standbys != null) {
            env = env.toBuilder().standbys(standbys.settings("bench_" + r)).build();
        }
        return bouncer == null ? env : env.withPgBouncer(pooler("app_" + r));
    }

    /** pgbouncer's admin console, as a gate (or the hand-written outage) drives it for one database. */
    PgBouncerSettings pooler(String database) {
        return new PgBouncerSettings(
                "127.0.0.1", bouncer.port(), bouncer.adminUser(), null, List.of(database), Duration.ofSeconds(5));
    }

    /** Where repeat {@code r}'s fastdowntime outage ({@code twin} false) or hand-written one connects. */
    Endpoint endpoint(int r, boolean twin) {
        String db = "bench_" + r + (twin ? "_b" : "");
        String app = db.replace("bench_", "app_");
        return bouncer != null
                ? new Endpoint(bouncer.url(app, ROLE), "127.0.0.1", bouncer.port(), app, ROLE, db)
                : new Endpoint(
                        cluster.url(db).replace("user=postgres", "user=" + ROLE),
                        "127.0.0.1",
                        cluster.port(),
                        db,
                        ROLE,
                        db);
    }

    /** Runs a database-side process on the database's CPUs, with --db-cpus. */
    void pinDatabase(long pid) throws Exception {
        if (placement != null) {
            placement.pinDatabase(pid);
        }
    }

    ThrowawayCluster cluster() {
        return cluster;
    }

    /** The standbys, with --standbys; else null. */
    BenchStandbys standbys() {
        return standbys;
    }

    boolean pooled() {
        return bouncer != null;
    }

    WorkflowClient client() {
        return temporal.client();
    }

    /** The cold patches the windows apply, in order. */
    List<PatchId> cold() {
        return cold;
    }

    @Override
    public void close() throws Exception {
        try (AutoCloseable c = cluster;
                AutoCloseable s = standbys == null ? () -> {} : standbys;
                AutoCloseable b = bouncer == null ? () -> {} : bouncer;
                AutoCloseable t = temporal == null ? () -> {} : temporal) {
            // closed in reverse: Temporal, pgbouncer, then the cluster
        }
    }
}
