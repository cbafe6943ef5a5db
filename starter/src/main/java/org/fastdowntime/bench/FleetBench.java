package org.fastdowntime.bench;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.fastdowntime.activity.Json;
import org.fastdowntime.cli.CommandFailure;
import org.fastdowntime.fleet.FleetDowntimeWorkflow;
import org.fastdowntime.ledger.Ledgers;
import org.fastdowntime.model.FleetDowntimeRequest;
import org.fastdowntime.model.FleetMode;
import org.fastdowntime.model.FleetResult;
import org.fastdowntime.model.FleetStatus;
import org.fastdowntime.model.LedgerItem;
import org.fastdowntime.model.LedgerRequest;
import org.fastdowntime.model.MemberOutcome;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.sandbox.DemoCommand;
import org.fastdowntime.sandbox.TemporalCli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * One fleet window over {@code --members} databases of one PostgreSQL server (the test server on 127.0.0.1:5432,
 * where prepared transactions are allowed), on the real Temporal server, with {@code --workers} worker processes:
 * the window's wall time, each member's outage (p50, p95, max; atomic: the gate held closed from the member's
 * closing to the decision carried out), the worker processes' peak memory, and the largest histories. The members
 * are copies of one database with the demo's baseline; the window applies the demo's five cold patches.
 */
@Command(
        name = "fleet",
        mixinStandardHelpOptions = true,
        description = "Measures one fleet window over N member databases: wall time, member outages p50/p95/max,"
                + " the workers' peak memory, the largest histories.")
final class FleetBench implements Callable<Integer> {
    private static final String ADMIN = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    private static final String QUEUE = "fastdowntime-fleet-bench";
    private static final String APP_ROLE = "fdt_fleet_bench_app";

    @Option(names = "--members", defaultValue = "100", description = "Member databases (default: ${DEFAULT-VALUE}).")
    int members;

    @Option(
            names = "--parallelism",
            defaultValue = "10",
            description = "Members whose outages run at once (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--mode", defaultValue = "waves", description = "waves or atomic (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(
            names = "--workers",
            defaultValue = "1",
            description = "Worker processes polling the task queue (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(
            names = "--patches",
            paramLabel = "DIR",
            description = "The folder whose baseline the members get and whose cold patches the window applies"
                    + " (default: the demo's, patches/).")
    Path patches;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    record Report(
            int members,
            int parallelism,
            String mode,
            int workers,
            String outcome,
            double wallSeconds,
            long outageP50Millis,
            long outageP95Millis,
            long outageMaxMillis,
            java.util.Map<String, Double> stageSeconds,
            List<Long> workerPeakRssMb,
            long fleetHistoryEvents,
            long largestMemberHistoryEvents) {}

    @Override
    public Integer call() throws Exception {
        FleetMode m = FleetMode.parse(mode);
        if (members < 1 || members > 999 || parallelism < 1 || workers < 1 || m == null) {
            throw new CommandFailure(
                    ProblemType.BAD_ARGUMENTS,
                    "--members 1..999, --parallelism and --workers at least 1, --mode waves|atomic");
        }
        Path folder = patches != null
                ? patches
                : Path.of(System.getenv().getOrDefault("FASTDOWNTIME_HOME", "."))
                        .resolve("patches");
        java.util.Optional<Path> cli = TemporalCli.find();
        if (!Files.isDirectory(folder) || cli.isEmpty()) {
            throw new CommandFailure(
                    ProblemType.BAD_ARGUMENTS,
                    "no patch folder " + folder + " or no Temporal CLI: run it through ./fastdowntime in the project,"
                            + " after scripts/setup-machine (it needs PostgreSQL on 127.0.0.1:5432)");
        }
        String prefix = "fdt_fleet_" + Long.toString(System.nanoTime() % 1_000_000, 36) + "_";
        Path dir = Files.createTempDirectory("fastdowntime-fleet-bench-");
        List<Process> procs = new ArrayList<>();
        try (TemporalCli server = TemporalCli.start(cli.get(), false, null)) {
            createMembers(prefix, folder);
            Path config = writeConfig(dir, prefix, folder, m);
            for (int i = 0; i < workers; i++) {
                procs.add(new ProcessBuilder(workerArgv(config, server.target()))
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("worker-" + i + ".log").toFile())
                        .start());
            }
            Report r = run(server.target(), m, procs);
            print(r);
            return 0;
        } finally {
            for (Process p : procs) {
                p.destroy();
                p.waitFor(15, TimeUnit.SECONDS);
                p.destroyForcibly();
            }
            dropMembers(prefix);
        }
    }

    private Report run(String target, FleetMode m, List<Process> procs) throws Exception {
        WorkflowClient client = WorkflowClient.newInstance(WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(target).build()));
        Ledgers.record(
                Ledgers.ensure(client, "fleet-bench", QUEUE),
                new LedgerRequest(
                        "qaOk",
                        "bench",
                        "fleet bench",
                        List.of("2300-01-0", "2300-02-0", "2300-04-0", "2300-05-0", "2300-06-0").stream()
                                .map(p -> new LedgerItem(p, null, null, null))
                                .toList(),
                        null));
        String id = "fleet-downtime-bench-" + System.currentTimeMillis();
        FleetDowntimeWorkflow f = client.newWorkflowStub(
                FleetDowntimeWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setTaskQueue(QUEUE)
                        .setWorkflowId(id)
                        .build());
        long t0 = System.nanoTime();
        WorkflowClient.start(f::run, new FleetDowntimeRequest("bench", null));
        String outcome;
        try {
            outcome = WorkflowStub.fromTyped(f)
                    .getResult(FleetResult.class)
                    .stage()
                    .name();
        } catch (WorkflowFailedException e) {
            outcome = "FAILED: " + e.getCause().getMessage();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        FleetStatus s = f.status();
        long[] outages = s.members().stream()
                .mapToLong(MemberOutcome::outageMillis)
                .filter(x -> x > 0)
                .sorted()
                .toArray();
        List<Long> rss = procs.stream().map(FleetBench::peakRssMb).toList();
        long fleetEvents = events(client, id);
        long largestMember = 0;
        for (MemberOutcome o : s.members()) {
            largestMember = Math.max(largestMember, events(client, id + "/" + o.member()));
        }
        return new Report(
                members,
                parallelism,
                m.name().toLowerCase(Locale.ROOT),
                workers,
                outcome,
                wall,
                percentile(outages, 50),
                percentile(outages, 95),
                outages.length == 0 ? 0 : outages[outages.length - 1],
                stages(s),
                rss,
                fleetEvents,
                largestMember);
    }

    /** A worker JVM: this JVM's java and class path, the CLI's worker command. */
    private static List<String> workerArgv(Path config, String target) {
        return List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                org.fastdowntime.cli.Main.class.getName(),
                "worker",
                "--config",
                config.toString(),
                "--target",
                target);
    }

    /** How long the window spent in each stage, from its timeline (a stage's first event to the next one's). */
    private static java.util.Map<String, Double> stages(FleetStatus s) {
        java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
        java.time.Instant at = null;
        String stage = null;
        for (var e : s.timeline()) {
            if (!e.stage().equals(stage)) {
                if (stage != null) {
                    out.merge(stage, java.time.Duration.between(at, e.at()).toMillis() / 1000.0, Double::sum);
                }
                stage = e.stage();
                at = e.at();
            }
        }
        return out;
    }

    private static long events(WorkflowClient client, String id) {
        try {
            return client.fetchHistory(id).getHistory().getEventsCount();
        } catch (RuntimeException notThere) {
            return 0;
        }
    }

    private static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** The worker JVM's peak resident memory (VmHWM), in MB, from /proc. */
    private static long peakRssMb(Process p) {
        long kb = 0;
        for (ProcessHandle h : java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(p.toHandle()), p.toHandle().descendants())
                .toList()) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + h.pid() + "/status"))) {
                    if (line.startsWith("VmHWM:")) {
                        kb = Math.max(kb, Long.parseLong(line.replaceAll("[^0-9]", "")));
                    }
                }
            } catch (java.io.IOException | NumberFormatException gone) {
                // the process ended
            }
        }
        return kb / 1024;
    }

    private void createMembers(String prefix, Path folder) throws Exception {
        try (Connection c = DriverManager.getConnection(ADMIN);
                Statement st = c.createStatement()) {
            st.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + APP_ROLE
                    + "') THEN CREATE ROLE " + APP_ROLE + " LOGIN; END IF; END $$");
        }
        String template = prefix + "tpl";
        DemoCommand.createDatabase(ADMIN, url(template) + "?user=postgres", template, APP_ROLE, folder);
        try (Connection c = DriverManager.getConnection(ADMIN);
                Statement st = c.createStatement()) {
            for (int i = 1; i <= members; i++) {
                st.execute("CREATE DATABASE " + member(prefix, i) + " TEMPLATE " + template);
            }
        }
    }

    private void dropMembers(String prefix) {
        try (Connection c = DriverManager.getConnection(ADMIN);
                Statement st = c.createStatement();
                var rs = st.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE '" + prefix + "%'")) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            try (Statement drop = c.createStatement()) {
                for (String n : names) {
                    drop.execute("DROP DATABASE IF EXISTS " + n + " WITH (FORCE)");
                }
            }
        } catch (Exception e) {
            spec.commandLine().getErr().println("could not drop the bench's databases: " + e.getMessage());
        }
    }

    private static String member(String prefix, int i) {
        return prefix + String.format(Locale.ROOT, "%03d", i);
    }

    private static String url(String database) {
        return "jdbc:postgresql://127.0.0.1:5432/" + database;
    }

    private Path writeConfig(Path dir, String prefix, Path folder, FleetMode m) throws java.io.IOException {
        String yaml = "temporal:\n  taskQueue: " + QUEUE + "\n"
                + "environments:\n  fleet-bench:\n    jdbcUrl: " + url(member(prefix, 1)) + "\n"
                + "    user: postgres\n    patches: " + folder + "\n    approvers: [bench]\n"
                + "    systemUsers: [postgres]\n    rehearsal: copy\n"
                + "fleets:\n  bench:\n    environment: fleet-bench\n"
                + "    template: {jdbcUrl: '" + url(prefix + "{n}") + "', name: 'm{n}', from: 1, to: " + members
                + ", digits: 3}\n"
                + "    parallelism: " + parallelism + "\n    mode: " + m.name().toLowerCase(Locale.ROOT) + "\n";
        return Files.writeString(dir.resolve("worker.yaml"), yaml);
    }

    private void print(Report r) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(r));
        } else {
            out.printf(
                    Locale.ROOT,
                    "Fleet window over %d members (%s, parallelism %d, %d worker process(es)): %s%n"
                            + "  wall %.1f s; member outage p50 %d ms, p95 %d ms, max %d ms%n"
                            + "  stages (s) %s%n"
                            + "  worker peak RSS %s MB; history events: fleet %d, largest member %d%n",
                    r.members(),
                    r.mode(),
                    r.parallelism(),
                    r.workers(),
                    r.outcome(),
                    r.wallSeconds(),
                    r.outageP50Millis(),
                    r.outageP95Millis(),
                    r.outageMaxMillis(),
                    r.stageSeconds(),
                    r.workerPeakRssMb(),
                    r.fleetHistoryEvents(),
                    r.largestMemberHistoryEvents());
        }
        out.flush();
    }
}
