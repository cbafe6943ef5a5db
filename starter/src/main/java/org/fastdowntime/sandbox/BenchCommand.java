package org.fastdowntime.sandbox;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
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
import org.fastdowntime.worker.DevServer;
import org.fastdowntime.worker.WorkerConfig;
import org.fastdowntime.worker.WorkerRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks.",
        subcommands = {BenchCommand.Downtime.class})
public final class BenchCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "say which benchmark: downtime");
    }

    /** One repeat's figures; times in milliseconds. */
    record Run(
            int repeat,
            String outcome,
            double outageMs,
            double patchMs,
            double overheadMs,
            double startToGateClosedMs,
            long attempted,
            long failed,
            double longestStallMs,
            double p99Ms,
            Map<String, Long> phaseMillis) {}

    record Report(
            String gate,
            int clients,
            int repeats,
            double seconds,
            String patches,
            List<PatchId> coldPatches,
            String machine,
            List<Run> runs,
            Map<String, Double> medians) {}

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

        @Option(names = "--json", description = "Print one JSON document.")
        boolean json;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (!gate.equals("native") && !gate.equals("pgbouncer")) {
                throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--gate: native or pgbouncer, not " + gate);
            }
            if (clients < 1 || repeat < 1 || seconds < 6) {
                throw new CommandFailure(
                        ProblemType.BAD_ARGUMENTS,
                        "--clients and --repeat must be >= 1, --seconds >= 6"
                                + " (the window starts half-way, after QA, quiesce, preflight and arming)");
            }
            Path folder = patches != null
                    ? patches
                    : Path.of(System.getenv().getOrDefault("FASTDOWNTIME_HOME", "."), "patches");
            if (!Files.isDirectory(folder)) {
                throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "no patch folder " + folder);
            }
            PrintWriter err = spec.commandLine().getErr();
            String role = "fdt_bench_app";
            List<Run> runs = new ArrayList<>();
            List<PatchId> cold;
            try (ThrowawayCluster cluster = ThrowawayCluster.start("-c max_connections=" + (clients + 60))) {
                Map<String, String> pgbDatabases = new LinkedHashMap<>();
                DemoCommand.createRole(cluster.url("postgres"), role);
                for (int r = 1; r <= repeat; r++) {
                    String db = "bench_" + r;
                    DemoCommand.createDatabase(cluster.url("postgres"), cluster.url(db), db, role, folder);
                    pgbDatabases.put("app_" + r, "host=127.0.0.1 port=" + cluster.port() + " dbname=" + db);
                }
                cold = DemoCommand.plan(cluster.url("bench_1"), folder).pendingCold();
                LocalPgBouncer bouncer = gate.equals("pgbouncer")
                        ? LocalPgBouncer.start(pgbDatabases, List.of("postgres", role), poolSize)
                        : null;
                try (AutoCloseable stopBouncer = bouncer == null ? () -> {} : bouncer) {
                    Map<String, EnvironmentSettings> envs = new LinkedHashMap<>();
                    for (int r = 1; r <= repeat; r++) {
                        envs.put("bench-" + r, environment(cluster, r, folder, bouncer));
                    }
                    String queue = "fastdowntime-bench";
                    DevServer server = DevServer.start(0);
                    WorkerRuntime worker = WorkerRuntime.start(
                            new WorkerConfig(org.fastdowntime.worker.TemporalSettings.of(null, "default", queue), envs),
                            server.target(),
                            "default",
                            queue,
                            server);
                    WorkflowClient client = WorkflowClient.newInstance(
                            WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                                    .setTarget(server.target())
                                    .build()));
                    try {
                        for (int r = 1; r <= repeat; r++) {
                            String url = bouncer != null
                                    ? bouncer.url("app_" + r, role)
                                    : cluster.url("bench_" + r).replace("user=postgres", "user=" + role);
                            Run run = runOnce(client, queue, r, url, cold);
                            runs.add(run);
                            err.printf(
                                    Locale.ROOT,
                                    "repeat %d: outage %.0f ms, overhead %.0f ms, %d/%d client transactions failed%n",
                                    r,
                                    run.outageMs(),
                                    run.overheadMs(),
                                    run.failed(),
                                    run.attempted());
                            err.flush();
                        }
                    } finally {
                        worker.shutdown(Duration.ofSeconds(10));
                    }
                }
            }
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
            for (String phase : phaseNames) {
                medians.put(
                        "phase: " + phase,
                        LoadClients.median(runs.stream()
                                .mapToDouble(x -> x.phaseMillis().getOrDefault(phase, 0L))
                                .toArray()));
            }
            String machine = Runtime.getRuntime().availableProcessors()
                    + " cores, "
                    + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                    + " MiB max heap, Java "
                    + System.getProperty("java.version");
            Report report = new Report(gate, clients, repeat, seconds, folder.toString(), cold, machine, runs, medians);
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? Json.write(report) + "\n" : render(report));
            out.flush();
            return runs.stream().allMatch(r -> r.outcome().equals("COMPLETED"))
                    ? 0
                    : ProblemType.WINDOW_FAILED.exitCode();
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

        private Run runOnce(WorkflowClient client, String queue, int r, String url, List<PatchId> cold)
                throws Exception {
            try (LoadClients load = new LoadClients(url, clients)) {
                long began = System.nanoTime();
                load.start();
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
                load.stop();
                if (o == null) {
                    return new Run(r, outcome, 0, 0, 0, 0, load.attempted(), load.failed(), 0, 0, Map.of());
                }
                LoadClients.Window w = load.window(Nanos.of(windowStart), afterOpen);
                double outage = o.outageMillis();
                double patch = o.patchSeconds() * 1000;
                return new Run(
                        r,
                        outcome,
                        outage,
                        patch,
                        outage - patch,
                        Duration.between(windowStart, o.gateClosedAt()).toNanos() / 1e6,
                        w.attempted(),
                        w.failed(),
                        w.longestStallMillis(),
                        w.p99Millis(),
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
                    "bench downtime: gate %s, %d clients, %d repeat(s), %.0f s each, cold patches %s%n",
                    r.gate(),
                    r.clients(),
                    r.repeats(),
                    r.seconds(),
                    r.coldPatches()));
            b.append(String.format(
                    Locale.ROOT,
                    "%-7s %10s %10s %11s %16s %8s %7s %9s %7s%n",
                    "repeat",
                    "outage ms",
                    "patch ms",
                    "overhead ms",
                    "start->closed ms",
                    "txns",
                    "failed",
                    "stall ms",
                    "p99 ms"));
            for (Run x : r.runs()) {
                b.append(String.format(
                        Locale.ROOT,
                        "%-7d %10.0f %10.0f %11.0f %16.0f %8d %7d %9.0f %7.1f%s%n",
                        x.repeat(),
                        x.outageMs(),
                        x.patchMs(),
                        x.overheadMs(),
                        x.startToGateClosedMs(),
                        x.attempted(),
                        x.failed(),
                        x.longestStallMs(),
                        x.p99Ms(),
                        x.outcome().equals("COMPLETED") ? "" : "  " + x.outcome()));
            }
            Map<String, Double> m = r.medians();
            b.append(String.format(
                    Locale.ROOT,
                    "%-7s %10.0f %10.0f %11.0f %16.0f %8.0f %7.0f %9.0f %7.1f%n",
                    "median",
                    m.get("outageMs"),
                    m.get("patchMs"),
                    m.get("overheadMs"),
                    m.get("startToGateClosedMs"),
                    m.get("attempted"),
                    m.get("failed"),
                    m.get("longestStallMs"),
                    m.get("p99Ms")));
            b.append("median ms per step:");
            m.forEach((k, v) -> {
                if (k.startsWith("phase: ")) {
                    b.append(String.format(Locale.ROOT, " %s %.0f;", k.substring(7), v));
                }
            });
            b.append('\n');
            b.append("machine: ").append(r.machine()).append('\n');
            return b.toString();
        }
    }
}
