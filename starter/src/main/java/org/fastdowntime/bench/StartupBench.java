package org.fastdowntime.bench;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
import org.fastdowntime.model.FastDowntimeRequest;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.sandbox.DemoCommand;
import org.fastdowntime.sandbox.LoadClients;
import org.fastdowntime.sandbox.LocalTemporal;
import org.fastdowntime.sandbox.ThrowawayCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How long a client command takes to start and answer, as a person at a terminal feels it: the
 * launcher {@code ./fastdowntime} run as a process against a real worker and window on the real
 * Temporal server (the embedded service when the Temporal CLI is missing), in three modes: the JVM's
 * defaults over gRPC ({@code plain}, how client commands first ran); as the launcher tunes client
 * commands (C1 only, the class-data archive the command's first run writes) over gRPC
 * ({@code grpc}); and tuned over Temporal's HTTP API ({@code http}, what a plaintext connection
 * uses). Each tuned mode's archive is written by a run of that mode. Wall and CPU time per run, and
 * medians; nothing is asserted.
 */
@Command(
        name = "startup",
        mixinStandardHelpOptions = true,
        description = {
            "Measures client commands (status, approve) started through ./fastdowntime against a real window:"
                    + " wall and CPU seconds per run and medians, with the JVM's defaults over gRPC (plain), as"
                    + " the launcher tunes client commands over gRPC (grpc) and over Temporal's HTTP API (http)."
        })
final class StartupBench implements Callable<Integer> {
    @Option(
            names = "--repeat",
            defaultValue = "5",
            description = "Runs per command and mode (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(
            names = "--warmup",
            defaultValue = "3",
            description = "Runs of each command over each route before measuring, not counted: the worker and the"
                    + " server have answered queries before, as in use (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** One run of a command: its exit code, wall and CPU (user + system) seconds. */
    record Sample(String command, String mode, int exit, double wallSeconds, double cpuSeconds) {}

    record Report(
            String machine,
            String server,
            int repeat,
            List<Sample> archivesWritten,
            List<Sample> samples,
            Map<String, Double> medians) {}

    private static final List<String> COMMANDS = List.of("status", "approve");

    @Override
    public Integer call() throws Exception {
        if (repeat < 1 || warmup < 0) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--repeat must be >= 1 and --warmup >= 0");
        }
        Path home =
                Path.of(System.getenv().getOrDefault("FASTDOWNTIME_HOME", ".")).toAbsolutePath();
        Path launcher = home.resolve("fastdowntime");
        if (!Files.isExecutable(launcher)) {
            throw new CommandFailure(
                    ProblemType.BAD_ARGUMENTS, "no launcher " + launcher + " (run this through ./fastdowntime)");
        }
        Path folder = home.resolve("patches");
        List<Sample> samples = new ArrayList<>();
        List<Sample> written = new ArrayList<>();
        List<String> modes = new ArrayList<>(List.of("plain", "grpc"));
        String server;
        try (ThrowawayCluster cluster = ThrowawayCluster.start()) {
            DemoCommand.createRole(cluster.url("postgres"), "fdt_startup_app");
            DemoCommand.createDatabase(
                    cluster.url("postgres"), cluster.url("startup"), "startup", "fdt_startup_app", folder);
            EnvironmentSettings env = EnvironmentSettings.builder(
                            "startup", cluster.url("startup").replaceAll("\\?.*$", ""))
                    .patches(folder)
                    .approvers(List.of("qa-bench"))
                    .build();
            String queue = "fastdowntime-startup";
            try (LocalTemporal temporal = LocalTemporal.startReal(queue, Map.of("startup", env))) {
                server = temporal.httpTarget() == null ? "embedded" : "temporal server start-dev";
                String id = startWindow(temporal.client(), queue);
                Map<String, List<String>> route = new LinkedHashMap<>();
                route.put("plain", List.of("--target", temporal.target(), "--http-target", "none"));
                route.put("grpc", route.get("plain"));
                if (temporal.httpTarget() != null) {
                    route.put("http", List.of("--target", temporal.target(), "--http-target", temporal.httpTarget()));
                    modes.add("http");
                }
                measure(launcher, home, temporal, id, route, samples, written);
            }
        }
        return report(server, modes, samples, written);
    }

    /**
     * The warm-ups, then each mode's runs: the gRPC modes first, alternating, with archives a gRPC run wrote;
     * then HTTP with its own.
     */
    private void measure(
            Path launcher,
            Path home,
            LocalTemporal temporal,
            String id,
            Map<String, List<String>> route,
            List<Sample> samples,
            List<Sample> written)
            throws Exception {
        for (int i = 0; i < warmup; i++) {
            for (List<String> way : new java.util.LinkedHashSet<>(route.values())) {
                for (String command : COMMANDS) {
                    run(launcher, "grpc", "warm-up", args(command, id, way));
                }
            }
        }
        // The gRPC modes first, alternating, with archives a gRPC run wrote; then HTTP with its own.
        for (List<String> phase : temporal.httpTarget() == null
                ? List.of(List.of("plain", "grpc"))
                : List.of(List.of("plain", "grpc"), List.of("http"))) {
            String tuned = phase.get(phase.size() - 1);
            for (String command : COMMANDS) {
                Files.deleteIfExists(home.resolve("starter/target/fastdowntime-client-" + command + ".jsa"));
                written.add(run(launcher, tuned, tuned + ", writing the archive", args(command, id, route.get(tuned))));
            }
            for (int i = 0; i < repeat; i++) {
                for (String mode : phase) {
                    for (String command : COMMANDS) {
                        samples.add(run(launcher, mode, mode, args(command, id, route.get(mode))));
                    }
                }
            }
        }
    }

    private int report(String server, List<String> modes, List<Sample> samples, List<Sample> written) {
        Map<String, Double> medians = new LinkedHashMap<>();
        for (String command : COMMANDS) {
            for (String mode : modes) {
                List<Sample> these = samples.stream()
                        .filter(s -> s.command().equals(command) && s.mode().equals(mode))
                        .toList();
                medians.put(
                        command + " " + mode + " wall s",
                        LoadClients.median(
                                these.stream().mapToDouble(Sample::wallSeconds).toArray()));
                medians.put(
                        command + " " + mode + " cpu s",
                        LoadClients.median(
                                these.stream().mapToDouble(Sample::cpuSeconds).toArray()));
            }
        }
        String machine =
                Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version");
        Report report = new Report(machine, server, repeat, written, samples, medians);
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? Json.write(report) + "\n" : render(report));
        out.flush();
        return 0;
    }

    /** A command's line: status reads the window, approve gives QA's word on its first patch. */
    private static List<String> args(String command, String id, List<String> route) {
        List<String> a = new ArrayList<>(List.of(command, id));
        if (command.equals("approve")) {
            a.addAll(List.of("--patch", "2300-01-0", "--by", "qa-bench"));
        }
        a.addAll(route);
        return a;
    }

    /** A window waiting for QA, two hours ahead: something for status to read and approve to approve. */
    private static String startWindow(WorkflowClient client, String queue) throws Exception {
        String id = "startup-bench-" + System.nanoTime();
        FastDowntimeWorkflow w = client.newWorkflowStub(
                FastDowntimeWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setTaskQueue(queue)
                        .setWorkflowId(id)
                        .build());
        WorkflowClient.start(
                w::run,
                new FastDowntimeRequest(
                        "startup", Instant.now().plus(Duration.ofHours(2)).toString(), List.of("2300-01-0")));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (w.status().patches().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the window never resolved its patches");
            }
            Thread.sleep(50);
        }
        return id;
    }

    /** The launcher run under bash's {@code time}, its output discarded: wall and CPU seconds. */
    static Sample run(Path launcher, String jvm, String mode, List<String> args) throws Exception {
        String command = args.get(0);
        Path times = Files.createTempFile("fastdowntime-startup-", ".txt");
        try {
            List<String> argv = new ArrayList<>(List.of(
                    "bash",
                    "-c",
                    "TIMEFORMAT='%R %U %S'; { time \"$@\" >/dev/null 2>&1; } 2>\"$TIMES\"; echo $? >>\"$TIMES\"",
                    "startup-bench",
                    launcher.toString()));
            argv.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
            pb.environment().put("TIMES", times.toString());
            pb.environment().put("FASTDOWNTIME_CLIENT_JVM", jvm.equals("plain") ? "plain" : "tuned");
            Process p = pb.start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not finish in 120 s");
            }
            String[] t = Files.readString(times, StandardCharsets.UTF_8).strip().split("\\s+");
            return new Sample(
                    command,
                    mode,
                    Integer.parseInt(t[3]),
                    Double.parseDouble(t[0]),
                    Double.parseDouble(t[1]) + Double.parseDouble(t[2]));
        } finally {
            Files.deleteIfExists(times);
        }
    }

    static String render(Report r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT, "bench startup: %d run(s) per command and mode, on %s%n", r.repeat(), r.server()));
        for (Sample w : r.archivesWritten()) {
            b.append(String.format(
                    Locale.ROOT, "  %s (%s) wrote its archive in %.2f s%n", w.command(), w.mode(), w.wallSeconds()));
        }
        b.append(String.format(
                Locale.ROOT, "%-8s %-6s %13s %12s%n", "command", "mode", "median wall s", "median cpu s"));
        for (String command : COMMANDS) {
            for (String mode : List.of("plain", "grpc", "http")) {
                Double wall = r.medians().get(command + " " + mode + " wall s");
                if (wall != null) {
                    b.append(String.format(
                            Locale.ROOT,
                            "%-8s %-6s %13.2f %12.2f%n",
                            command,
                            mode,
                            wall,
                            r.medians().get(command + " " + mode + " cpu s")));
                }
            }
        }
        b.append("plain: JVM defaults, gRPC; grpc: as the launcher runs client commands, gRPC; http: the same, over"
                + " Temporal's HTTP API\n");
        b.append("machine: ").append(r.machine()).append('\n');
        return b.toString();
    }
}
