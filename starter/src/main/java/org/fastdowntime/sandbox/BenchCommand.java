package org.fastdowntime.sandbox;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.fastdowntime.activity.Json;
import org.fastdowntime.cli.CommandFailure;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.model.EventCode;
import org.fastdowntime.model.FastDowntimeRequest;
import org.fastdowntime.model.FastDowntimeResult;
import org.fastdowntime.model.FastDowntimeStatus;
import org.fastdowntime.model.OutageReport;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.model.QaSignal;
import org.fastdowntime.pgbouncer.LocalPgBouncer;
import org.fastdowntime.pgbouncer.PgBouncerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks.",
        subcommands = {BenchCommand.Downtime.class, ApplyBench.class, StartupBench.class})
public final class BenchCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "say which benchmark: downtime or startup");
    }

    /** Cores, heap and Java of the machine a benchmark ran on. */
    static String machine() {
        return Runtime.getRuntime().availableProcessors()
                + " cores, "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                + " MiB max heap, Java "
                + System.getProperty("java.version");
    }

    /**
     * One repeat's figures; times in milliseconds. {@code kind} is {@code fastdowntime} or {@code
     * baseline} (the hand-written outage, whose apply is psql's); -1 where a load does not measure a
     * figure (pgbench: stall, p99). {@code applyMs} is the whole apply from BEGIN to COMMIT
     * (statements, bookkeeping, COMMIT), {@code patchMs} the patches' statements within it (the
     * baseline's: the same).
     */
    record Run(
            int repeat,
            String kind,
            String outcome,
            double outageMs,
            double patchMs,
            double applyMs,
            double overheadMs,
            double startToGateClosedMs,
            long attempted,
            long failed,
            double longestStallMs,
            double p99Ms,
            long abortedClients,
            Map<String, Long> phaseMillis) {}

    record Report(
            String gate,
            String load,
            int clients,
            int repeats,
            double seconds,
            String patches,
            List<PatchId> coldPatches,
            String machine,
            List<Run> runs,
            Map<String, Double> medians,
            Map<String, Double> baselineMedians,
            Map<String, Double> ratios,
            Map<String, double[]> ratioIntervals,
            String baseline,
            String dbCpus) {}

    /**
     * How far a ratio of medians can be trusted: a 95 % bootstrap interval of median(ours) /
     * median(baseline), resampling the repeats with replacement, each repeat's two outages together
     * (they met the same load, one after the other). A fixed seed, so a report repeats itself.
     */
    static double[] ratioInterval(double[] ours, double[] baseline) {
        int n = Math.min(ours.length, baseline.length);
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        Random random = new Random(15);
        double[] ratios = new double[2000];
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < ratios.length; i++) {
            for (int j = 0; j < n; j++) {
                int pick = random.nextInt(n);
                a[j] = ours[pick];
                b[j] = baseline[pick];
            }
            ratios[i] = LoadClients.median(a) / LoadClients.median(b);
        }
        Arrays.sort(ratios);
        return new double[] {ratios[(int) (ratios.length * 0.025)], ratios[(int) (ratios.length * 0.975) - 1]};
    }

    @Command(
            name = "downtime",
            mixinStandardHelpOptions = true,
            description = {
                "Measures a fast-downtime outage under load: a throwaway PostgreSQL cluster (and pgbouncer"
                        + " for that gate), N clients doing short read/write transactions on the application's"
                        + " path, and a real FastDowntime run by a real worker on the embedded Temporal"
                        + " service, applying the given cold patches.",
                "Reports per repeat and as medians: outage (gate closed -> open), patch time, overhead ="
                        + " outage - patch time, window start -> gate closed, client transactions attempted /"
                        + " failed in the window [window start, gate open + 1 s], longest stall and p99 latency"
                        + " in it."
            })
    static final class Downtime implements Callable<Integer> {
        @Option(
                names = "--gate",
                defaultValue = "native",
                description = "native or pgbouncer (default: ${DEFAULT-VALUE}).")
        String gate;

        @Option(names = "--clients", defaultValue = "50", description = "Client threads (default: ${DEFAULT-VALUE}).")
        int clients;

        @Option(
                names = "--seconds",
                defaultValue = "6",
                description = "Client run time per repeat (default: ${DEFAULT-VALUE}).")
        double seconds;

        @Option(names = "--repeat", defaultValue = "3", description = "Repeats (default: ${DEFAULT-VALUE}).")
        int repeat;

        @Option(
                names = "--patches",
                paramLabel = "DIR",
                description = "Patch folder (default: the project's patches/,"
                        + " whose 5 small cold patches are applied in the outage).")
        Path patches;

        @Option(
                names = "--pool-size",
                defaultValue = "20",
                description = "pgbouncer default_pool_size (default: ${DEFAULT-VALUE}).")
        int poolSize;

        @Option(
                names = "--load",
                defaultValue = "threads",
                description = "threads (the project's client threads, reconnecting) or pgbench (the real pgbench,"
                        + " TPC-B-like; a terminated client is aborted, as pgbench does) (default: ${DEFAULT-VALUE}).")
        String load;

        @Option(names = "--scale", defaultValue = "10", description = "pgbench scale (default: ${DEFAULT-VALUE}).")
        int scale;

        @Option(
                names = "--baseline",
                arity = "0..1",
                fallbackValue = "session",
                paramLabel = "session|script",
                description = "Also run the hand-written outage for the gate in each repeat, under the same load,"
                        + " alternating with fastdowntime's, and report both and their ratio: with its sessions"
                        + " opened beforehand (session, the default), or, for the pgbouncer gate, one psql process"
                        + " per step as a shell script runs it (script).")
        String baselineKind;

        /** Whether a hand-written outage runs beside fastdowntime's. */
        private boolean baseline() {
            return baselineKind != null;
        }

        @Option(
                names = "--db-cpus",
                paramLabel = "LIST",
                description = "Run the database side (PostgreSQL, pgbouncer, pgbench) on these CPUs (e.g. 1 or 2-3)"
                        + " and this process (the worker, the Temporal service, the hand-written outage's psql) on"
                        + " the others, as when the worker runs on another machine than the database; needs --load"
                        + " pgbench. Default: everything shares every CPU.")
        String dbCpus;

        @Option(names = "--json", description = "Print one JSON document.")
        boolean json;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        /** Where the processes run, with --db-cpus; null when everything shares every CPU. */
        private CpuPlacement placement;

        /** Reads --db-cpus. */
        private CpuPlacement placement() throws Exception {
            if (dbCpus == null) {
                return null;
            }
            if (!load.equals("pgbench")) {
                throw new CommandFailure(
                        ProblemType.BAD_ARGUMENTS,
                        "--db-cpus needs --load pgbench: the client threads of --load threads run in this process");
            }
            try {
                return CpuPlacement.parse(dbCpus);
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--db-cpus: " + e.getMessage());
            }
        }

        @Override
        public Integer call() throws Exception {
            if (!gate.equals("native") && !gate.equals("pgbouncer")) {
                throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--gate: native or pgbouncer, not " + gate);
            }
            if (!load.equals("threads") && !load.equals("pgbench")) {
                throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--load: threads or pgbench, not " + load);
            }
            if (clients < 1 || repeat < 1 || seconds < 6 || scale < 1) {
                throw new CommandFailure(
                        ProblemType.BAD_ARGUMENTS,
                        "--clients, --repeat and --scale must be >= 1, --seconds >= 6"
                                + " (the window starts half-way, after QA, quiesce, preflight and arming)");
            }
            if (baselineKind != null && !baselineKind.equals("session") && !baselineKind.equals("script")) {
                throw new CommandFailure(
                        ProblemType.BAD_ARGUMENTS, "--baseline: session or script, not " + baselineKind);
            }
            if ("script".equals(baselineKind) && !gate.equals("pgbouncer")) {
                throw new CommandFailure(
                        ProblemType.BAD_ARGUMENTS,
                        "--baseline script is for the pgbouncer gate: once the native gate is closed, a psql started"
                                + " afterwards cannot connect; the hand-written native outage opens its session"
                                + " before (--baseline session)");
            }
            placement = placement();
            Path folder = patches != null
                    ? patches
                    : Path.of(System.getenv().getOrDefault("FASTDOWNTIME_HOME", "."), "patches");
            if (!Files.isDirectory(folder)) {
                throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "no patch folder " + folder);
            }
            String machine = machine(); // before --db-cpus narrows what this process sees
            if (placement != null) {
                placement.pinSelf();
            }
            try {
                return measure(folder, machine);
            } finally {
                if (placement != null) {
                    placement.close();
                }
            }
        }

        private Integer measure(Path folder, String machine) throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            String role = "fdt_bench_app";
            List<Run> runs = new ArrayList<>();
            List<PatchId> cold;
            // pgbouncer keeps each database's pool of server connections open: room for all of them.
            int databases = repeat * (baseline() ? 2 : 1) + 1; // and the warm-up window's
            int connections = clients + 60 + (gate.equals("pgbouncer") ? poolSize * databases : 0);
            // WAL room for every database's pgbench data, so no checkpoint is forced in the middle of a repeat.
            try (ThrowawayCluster cluster = ThrowawayCluster.start(
                    "-c max_connections=" + connections + " -c max_wal_size=8GB -c checkpoint_timeout=1h")) {
                if (placement != null) {
                    placement.pinDatabase(cluster.postmasterPid());
                }
                Map<String, String> pgbDatabases = new LinkedHashMap<>();
                DemoCommand.createRole(cluster.url("postgres"), role);
                DemoCommand.createDatabase(cluster.url("postgres"), cluster.url("bench_0"), "bench_0", role, folder);
                pgbDatabases.put("app_0", "host=127.0.0.1 port=" + cluster.port() + " dbname=bench_0");
                for (int r = 1; r <= repeat; r++) {
                    for (String db : baseline() ? List.of("bench_" + r, "bench_" + r + "_b") : List.of("bench_" + r)) {
                        DemoCommand.createDatabase(cluster.url("postgres"), cluster.url(db), db, role, folder);
                        pgbDatabases.put(
                                db.replace("bench_", "app_"),
                                "host=127.0.0.1 port=" + cluster.port() + " dbname=" + db);
                        if (load.equals("pgbench")) {
                            PgbenchLoad.initialise(
                                    cluster.binaries().bin(), "127.0.0.1", cluster.port(), db, scale, role);
                        }
                    }
                }
                cold = DemoCommand.plan(cluster.url("bench_1"), folder).pendingCold();
                // Set-up wrote every database's data: flushed now, not by a checkpoint during a repeat.
                cluster.execute("CHECKPOINT");
                LocalPgBouncer bouncer = gate.equals("pgbouncer")
                        ? LocalPgBouncer.start(pgbDatabases, List.of("postgres", role), poolSize)
                        : null;
                if (bouncer != null && placement != null) {
                    placement.pinDatabase(bouncer.pid());
                }
                try (AutoCloseable stopBouncer = bouncer == null ? () -> {} : bouncer) {
                    Map<String, EnvironmentSettings> envs = new LinkedHashMap<>();
                    for (int r = 0; r <= repeat; r++) {
                        envs.put("bench-" + r, environment(cluster, r, folder, bouncer));
                    }
                    String queue = "fastdowntime-bench";
                    try (LocalTemporal temporal = LocalTemporal.start(queue, envs)) {
                        WorkflowClient client = temporal.client();
                        List<Path> files = coldFiles(folder, cold);
                        // A worker that has served windows before, as production's has: the first window
                        // of a fresh JVM loads and compiles everything and would arm late.
                        Run warmUp = runOnce(cluster, client, queue, 0, null, cold);
                        err.printf(
                                Locale.ROOT,
                                "warm-up window (no load, not counted): %s, outage %.0f ms%n",
                                warmUp.outcome(),
                                warmUp.outageMs());
                        for (int r = 1; r <= repeat; r++) {
                            Target target = new Target(cluster, bouncer, role, r);
                            boolean baselineFirst = baseline() && r % 2 == 1;
                            if (baselineFirst) {
                                runs.add(say(err, runBaseline(cluster, bouncer, target.baseline(), r, files)));
                            }
                            runs.add(say(err, runOnce(cluster, client, queue, r, target.fastdowntime(), cold)));
                            if (baseline() && !baselineFirst) {
                                runs.add(say(err, runBaseline(cluster, bouncer, target.baseline(), r, files)));
                            }
                        }
                    }
                }
            }
            List<Run> ours =
                    runs.stream().filter(x -> x.kind().equals("fastdowntime")).toList();
            Map<String, Double> medians = medians(ours);
            Map<String, Double> baselineMedians = baseline()
                    ? medians(runs.stream()
                            .filter(x -> x.kind().equals("baseline"))
                            .toList())
                    : Map.of();
            Map<String, Double> ratios = new LinkedHashMap<>();
            Map<String, double[]> intervals = new LinkedHashMap<>();
            if (baseline()) {
                List<Run> theirs =
                        runs.stream().filter(x -> x.kind().equals("baseline")).toList();
                Map<String, ToDoubleFunction<Run>> figures = new LinkedHashMap<>();
                figures.put("outage", Run::outageMs);
                figures.put("overhead", Run::overheadMs);
                figures.put("apply", Run::applyMs);
                figures.forEach((name, figure) -> {
                    double[] a = ours.stream().mapToDouble(figure).toArray();
                    double[] b = theirs.stream().mapToDouble(figure).toArray();
                    ratios.put(name, LoadClients.median(a) / LoadClients.median(b));
                    intervals.put(name, ratioInterval(a, b));
                });
            }
            machine += (placement == null
                    ? ""
                    : "; PostgreSQL, pgbouncer and pgbench on CPU " + placement.database()
                            + ", the worker and psql on CPU " + placement.rest());
            Report report = new Report(
                    gate,
                    load,
                    clients,
                    repeat,
                    seconds,
                    folder.toString(),
                    cold,
                    machine,
                    runs,
                    medians,
                    baselineMedians,
                    ratios,
                    intervals,
                    baselineKind,
                    placement == null ? null : placement.database());
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? Json.write(report) + "\n" : render(report));
            out.flush();
            return runs.stream().allMatch(r -> r.outcome().equals("COMPLETED"))
                    ? 0
                    : ProblemType.WINDOW_FAILED.exitCode();
        }

        private static Map<String, Double> medians(List<Run> runs) {
            Map<String, Double> medians = new LinkedHashMap<>();
            List<String> phaseNames = runs.stream()
                    .flatMap(x -> x.phaseMillis().keySet().stream())
                    .distinct()
                    .toList();
            medians.put(
                    "outageMs",
                    LoadClients.median(runs.stream().mapToDouble(Run::outageMs).toArray()));
            medians.put(
                    "patchMs",
                    LoadClients.median(runs.stream().mapToDouble(Run::patchMs).toArray()));
            medians.put(
                    "applyMs",
                    LoadClients.median(runs.stream().mapToDouble(Run::applyMs).toArray()));
            medians.put(
                    "overheadMs",
                    LoadClients.median(
                            runs.stream().mapToDouble(Run::overheadMs).toArray()));
            medians.put(
                    "startToGateClosedMs",
                    LoadClients.median(
                            runs.stream().mapToDouble(Run::startToGateClosedMs).toArray()));
            medians.put(
                    "attempted",
                    LoadClients.median(runs.stream().mapToDouble(Run::attempted).toArray()));
            medians.put(
                    "failed",
                    LoadClients.median(runs.stream().mapToDouble(Run::failed).toArray()));
            medians.put(
                    "longestStallMs",
                    LoadClients.median(
                            runs.stream().mapToDouble(Run::longestStallMs).toArray()));
            medians.put(
                    "p99Ms",
                    LoadClients.median(runs.stream().mapToDouble(Run::p99Ms).toArray()));
            medians.put(
                    "abortedClients",
                    LoadClients.median(
                            runs.stream().mapToDouble(Run::abortedClients).toArray()));
            for (String phase : phaseNames) {
                medians.put(
                        "phase: " + phase,
                        LoadClients.median(runs.stream()
                                .mapToDouble(x -> x.phaseMillis().getOrDefault(phase, 0L))
                                .toArray()));
            }
            return medians;
        }

        private static Run say(PrintWriter err, Run run) {
            err.printf(
                    Locale.ROOT,
                    "repeat %d, %s: outage %.0f ms, overhead %.0f ms, %d/%d client transactions failed, %d client(s)"
                            + " aborted%n",
                    run.repeat(),
                    run.kind(),
                    run.outageMs(),
                    run.overheadMs(),
                    run.failed(),
                    run.attempted(),
                    run.abortedClients());
            err.flush();
            return run;
        }

        /** The cold patches' files, in the order the window applies them. */
        private static List<Path> coldFiles(Path folder, List<PatchId> cold) {
            return cold.stream()
                    .map(id -> folder.resolve("patch-" + id + ".sql"))
                    .toList();
        }

        /** Where a repeat's load connects: the database (directly or through pgbouncer) and its pgbench name. */
        private record Endpoint(String jdbcUrl, String host, int port, String database, String user, String db) {}

        private record Target(Endpoint fastdowntime, Endpoint baseline) {
            Target(ThrowawayCluster cluster, LocalPgBouncer bouncer, String role, int r) {
                this(
                        endpoint(cluster, bouncer, role, "bench_" + r),
                        endpoint(cluster, bouncer, role, "bench_" + r + "_b"));
            }

            private static Endpoint endpoint(ThrowawayCluster cluster, LocalPgBouncer bouncer, String role, String db) {
                String app = db.replace("bench_", "app_");
                return bouncer != null
                        ? new Endpoint(bouncer.url(app, role), "127.0.0.1", bouncer.port(), app, role, db)
                        : new Endpoint(
                                cluster.url(db).replace("user=postgres", "user=" + role),
                                "127.0.0.1",
                                cluster.port(),
                                db,
                                role,
                                db);
            }
        }

        /** The load of one repeat: the project's client threads or pgbench. */
        private interface Load extends AutoCloseable {
            /** No clients at all (the warm-up window). */
            Load NONE = new Load() {
                @Override
                public Figures figures(long from, long to) {
                    return new Figures(0, 0, 0, -1, -1);
                }

                @Override
                public void close() {}
            };

            /** Stops it (or waits for its end) and says what clients saw in [from, to] (pgbench: its whole run). */
            Figures figures(long from, long to) throws Exception;
        }

        private record Figures(long attempted, long failed, long aborted, double longestStallMs, double p99Ms) {}

        private Load startLoad(ThrowawayCluster cluster, Endpoint at) throws Exception {
            if (load.equals("pgbench")) {
                PgbenchLoad p = PgbenchLoad.start(
                        cluster.binaries().bin(), at.host(), at.port(), at.database(), at.user(), clients, seconds);
                if (placement != null) {
                    placement.pinDatabase(p.pid());
                }
                return new Load() {
                    @Override
                    public Figures figures(long from, long to) throws Exception {
                        PgbenchLoad.Result r = p.await();
                        return new Figures(r.processed() + r.failed(), r.failed(), r.abortedClients(), -1, -1);
                    }

                    @Override
                    public void close() throws Exception {
                        p.close();
                    }
                };
            }
            LoadClients threads = new LoadClients(at.jdbcUrl(), clients);
            threads.start();
            return new Load() {
                @Override
                public Figures figures(long from, long to) throws Exception {
                    threads.stop();
                    LoadClients.Window w = threads.window(from, to);
                    return new Figures(w.attempted(), w.failed(), 0, w.longestStallMillis(), w.p99Millis());
                }

                @Override
                public void close() throws Exception {
                    threads.close();
                }
            };
        }

        /** The hand-written outage half-way through the same load, on the repeat's twin database. */
        private Run runBaseline(ThrowawayCluster cluster, LocalPgBouncer bouncer, Endpoint at, int r, List<Path> files)
                throws Exception {
            try (Load l = startLoad(cluster, at)) {
                long began = System.nanoTime();
                Thread.sleep((long) (seconds * 1000 / 2));
                long from = System.nanoTime();
                Path bin = cluster.binaries().bin();
                boolean script = baselineKind.equals("script");
                PgBouncerSettings pooler = bouncer == null
                        ? null
                        : new PgBouncerSettings(
                                "127.0.0.1",
                                bouncer.port(),
                                bouncer.adminUser(),
                                null,
                                List.of(at.database()),
                                Duration.ofSeconds(5));
                BaselineOutage.Result res = pooler == null
                        ? BaselineOutage.nativeGate(bin, cluster.port(), cluster.url("postgres"), at.db(), files)
                        : script
                                ? BaselineOutage.pgbouncerScript(pooler, bin, cluster.port(), at.db(), files)
                                : BaselineOutage.pgbouncer(pooler, bin, cluster.port(), at.db(), files);
                long to = System.nanoTime() + 1_000_000_000L;
                long endBy = began + (long) (seconds * 1e9);
                while (System.nanoTime() < Math.max(endBy, to)) {
                    Thread.sleep(20);
                }
                Figures f = l.figures(from, to);
                return new Run(
                        r,
                        "baseline",
                        "COMPLETED",
                        res.outageMs(),
                        res.applyMs(),
                        res.applyMs(),
                        res.outageMs() - res.applyMs(),
                        0,
                        f.attempted(),
                        f.failed(),
                        f.longestStallMs(),
                        f.p99Ms(),
                        f.aborted(),
                        Map.of());
            }
        }

        /**
         * The window starts half-way through the clients' run; QA, quiesce, preflight and arming happen
         * before it at 90, 80, 70 and 50 % of that lead (with --seconds 20: preflight 7 s and arming 5
         * s ahead, as in production).
         */
        private EnvironmentSettings environment(ThrowawayCluster cluster, int r, Path folder, LocalPgBouncer bouncer) {
            long lead = (long) (seconds * 1000 / 2);
            EnvironmentSettings.Budgets budgets = EnvironmentSettings.Budgets.defaults()
                    .withLeads(
                            Duration.ofMillis(lead * 9 / 10),
                            Duration.ofMillis(lead * 8 / 10),
                            Duration.ofMillis(lead * 7 / 10),
                            Duration.ofMillis(lead / 2))
                    .withHeartbeatTimeout(Duration.ofSeconds(3));
            EnvironmentSettings env = EnvironmentSettings.builder(
                            "bench-" + r, cluster.url("bench_" + r).replaceAll("\\?.*$", ""))
                    .patches(folder.toAbsolutePath())
                    .approvers(List.of("qa-bench"))
                    .budgets(budgets)
                    .build();
            return bouncer == null
                    ? env
                    : env.withPgBouncer(new PgBouncerSettings(
                            "127.0.0.1",
                            bouncer.port(),
                            bouncer.adminUser(),
                            null,
                            List.of("app_" + r),
                            Duration.ofSeconds(5)));
        }

        private Run runOnce(
                ThrowawayCluster cluster, WorkflowClient client, String queue, int r, Endpoint at, List<PatchId> cold)
                throws Exception {
            try (Load running = at == null ? Load.NONE : startLoad(cluster, at)) {
                long began = System.nanoTime();
                Duration lead = Duration.ofMillis((long) (seconds * 1000 / 2));
                Instant windowStart = Instant.now().plus(lead);
                FastDowntimeWorkflow window = client.newWorkflowStub(
                        FastDowntimeWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setTaskQueue(queue)
                                .setWorkflowId("bench-" + r + "-" + System.nanoTime())
                                .build());
                WorkflowClient.start(
                        window::run,
                        new FastDowntimeRequest(
                                "bench-" + r,
                                windowStart.toString(),
                                cold.stream().map(PatchId::toString).toList())); // the outage's patches only
                for (PatchId p : cold) {
                    window.qaOk(new QaSignal(p.toString(), "qa-bench", null, null));
                }
                String outcome;
                try {
                    outcome = WorkflowStub.fromTyped(window)
                            .getResult(120, TimeUnit.SECONDS, FastDowntimeResult.class)
                            .outcome()
                            .name();
                } catch (WorkflowFailedException e) {
                    outcome = "FAILED: " + e.getCause().getMessage();
                }
                FastDowntimeStatus status = window.status();
                OutageReport o = status.outage();
                long endBy = began + (long) (seconds * 1e9);
                long afterOpen = o == null ? 0 : Nanos.of(o.gateOpenedAt()) + 1_000_000_000L;
                long stopAt = Math.max(endBy, afterOpen);
                while (System.nanoTime() < stopAt) {
                    Thread.sleep(20);
                }
                Figures w = running.figures(Nanos.of(windowStart), o == null ? stopAt : afterOpen);
                if (o == null) {
                    return new Run(
                            r,
                            "fastdowntime",
                            outcome,
                            0,
                            0,
                            0,
                            0,
                            0,
                            w.attempted(),
                            w.failed(),
                            0,
                            0,
                            w.aborted(),
                            Map.of());
                }
                double outage = o.outageMillis();
                double patch = o.patchSeconds() * 1000;
                // The apply step: BEGIN to COMMIT, statements, bookkeeping and COMMIT, as the baseline's is.
                double apply = o.phaseMillis().getOrDefault("apply", (long) patch);
                return new Run(
                        r,
                        "fastdowntime",
                        outcome,
                        outage,
                        patch,
                        apply,
                        outage - apply,
                        Duration.between(windowStart, o.gateClosedAt()).toNanos() / 1e6,
                        w.attempted(),
                        w.failed(),
                        w.longestStallMs(),
                        w.p99Ms(),
                        w.aborted(),
                        phases(windowStart, status));
            }
        }

        /**
         * Where the time from window start to gate open went: the workflow's steps (from its timeline)
         * and the outage activity's own phases.
         */
        static Map<String, Long> phases(Instant windowStart, FastDowntimeStatus status) {
            Map<String, Long> out = new LinkedHashMap<>();
            Instant preflight = at(status, EventCode.PREFLIGHT_STARTED);
            Instant passed = at(status, EventCode.PREFLIGHT_PASSED);
            OutageReport o = status.outage();
            Instant activityStarted =
                    o.phaseStartedAt() == null ? null : o.phaseStartedAt().get("connect");
            if (preflight != null) {
                out.put(
                        "timer to preflight",
                        Duration.between(windowStart, preflight).toMillis());
            }
            if (preflight != null && passed != null) {
                out.put("preflight", Duration.between(preflight, passed).toMillis());
            }
            if (passed != null && activityStarted != null) {
                out.put(
                        "outage activity start",
                        Math.max(0, Duration.between(passed, activityStarted).toMillis()));
            }
            out.putAll(o.phaseMillis());
            return out;
        }

        private static Instant at(FastDowntimeStatus s, EventCode code) {
            return s.timeline().stream()
                    .filter(e -> e.code() == code)
                    .map(e -> e.at())
                    .findFirst()
                    .orElse(null);
        }

        static String render(Report r) {
            StringBuilder b = new StringBuilder();
            b.append(String.format(
                    Locale.ROOT,
                    "bench downtime: gate %s, load %s, %d clients, %d repeat(s), %.0f s each, cold patches %s%n",
                    r.gate(),
                    r.load(),
                    r.clients(),
                    r.repeats(),
                    r.seconds(),
                    r.coldPatches()));
            b.append(String.format(
                    Locale.ROOT,
                    "%-7s %-12s %10s %10s %11s %16s %8s %7s %8s %9s %7s%n",
                    "repeat",
                    "outage by",
                    "outage ms",
                    "apply ms",
                    "overhead ms",
                    "start->closed ms",
                    "txns",
                    "failed",
                    "aborted",
                    "stall ms",
                    "p99 ms"));
            for (Run x : r.runs()) {
                b.append(String.format(
                        Locale.ROOT,
                        "%-7d %-12s %10.0f %10.0f %11.0f %16.0f %8d %7d %8d %9s %7s%s%n",
                        x.repeat(),
                        x.kind(),
                        x.outageMs(),
                        x.applyMs(),
                        x.overheadMs(),
                        x.startToGateClosedMs(),
                        x.attempted(),
                        x.failed(),
                        x.abortedClients(),
                        figure(x.longestStallMs(), "%.0f"),
                        figure(x.p99Ms(), "%.1f"),
                        x.outcome().equals("COMPLETED") ? "" : "  " + x.outcome()));
            }
            medianLine(b, "fastdowntime", r.medians());
            if (!r.baselineMedians().isEmpty()) {
                medianLine(b, "baseline", r.baselineMedians());
                b.append(String.format(
                        Locale.ROOT,
                        "ratio fastdowntime/baseline (%s): outage %.2f (95%% interval %.2f-%.2f), overhead %.2f,"
                                + " apply %.2f%n",
                        r.baseline(),
                        r.ratios().get("outage"),
                        r.ratioIntervals().get("outage")[0],
                        r.ratioIntervals().get("outage")[1],
                        r.ratios().get("overhead"),
                        r.ratios().get("apply")));
            }
            b.append("median ms per step:");
            r.medians().forEach((k, v) -> {
                if (k.startsWith("phase: ")) {
                    b.append(String.format(Locale.ROOT, " %s %.0f;", k.substring(7), v));
                }
            });
            b.append('\n');
            b.append("machine: ").append(r.machine()).append('\n');
            return b.toString();
        }

        private static void medianLine(StringBuilder b, String kind, Map<String, Double> m) {
            b.append(String.format(
                    Locale.ROOT,
                    "%-7s %-12s %10.0f %10.0f %11.0f %16.0f %8.0f %7.0f %8.0f %9s %7s%n",
                    "median",
                    kind,
                    m.get("outageMs"),
                    m.get("applyMs"),
                    m.get("overheadMs"),
                    m.get("startToGateClosedMs"),
                    m.get("attempted"),
                    m.get("failed"),
                    m.get("abortedClients"),
                    figure(m.get("longestStallMs"), "%.0f"),
                    figure(m.get("p99Ms"), "%.1f")));
        }

        /** A figure the load measured, or "-" (pgbench measures no stall or p99 of its own). */
        private static String figure(double v, String format) {
            return v < 0 ? "-" : String.format(Locale.ROOT, format, v);
        }
    }
}
