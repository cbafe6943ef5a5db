package org.fastdowntime.sandbox;

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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How long a client command takes to start and answer, as a person at a terminal feels it: the
 * launcher {@code ./fastdowntime} run as a process against a real worker and window on the embedded
 * Temporal service, once with the JVM's defaults and once tuned as the launcher runs client commands
 * (C1 only, the class-data archive the first client command writes). Wall and CPU time per run, and
 * medians; nothing is asserted.
 */
@Command(
        name = "startup",
        mixinStandardHelpOptions = true,
        description = {
            "Measures client commands (status, approve) started through ./fastdowntime against a real window:"
                    + " wall and CPU seconds per run and medians, with the JVM's defaults (plain) and as the"
                    + " launcher tunes client commands (C1 only and a class-data-sharing archive)."
        })
final class StartupBench implements Callable<Integer> {
    @Option(
            names = "--repeat",
            defaultValue = "5",
            description = "Runs per command and mode (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** One run of a command: its exit code, wall and CPU (user + system) seconds. */
    record Sample(String command, String mode, int exit, double wallSeconds, double cpuSeconds) {}

    record Report(
            String machine, int repeat, Sample archiveWritten, List<Sample> samples, Map<String, Double> medians) {}

    @Override
    public Integer call() throws Exception {
        if (repeat < 1) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--repeat must be >= 1");
        }
        Path home =
                Path.of(System.getenv().getOrDefault("FASTDOWNTIME_HOME", ".")).toAbsolutePath();
        Path launcher = home.resolve("fastdowntime");
        if (!Files.isExecutable(launcher)) {
            throw new CommandFailure(
                    ProblemType.BAD_ARGUMENTS, "no launcher " + launcher + " (run this through ./fastdowntime)");
        }
        Path folder = home.resolve("patches");
        PrintWriter err = spec.commandLine().getErr();
        List<Sample> samples = new ArrayList<>();
        Sample written;
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
            try (LocalTemporal temporal = LocalTemporal.start(queue, Map.of("startup", env))) {
                String target = temporal.target();
                String id = startWindow(temporal.client(), queue);
                List<String> status = List.of("status", "--target", target, id);
                List<String> approve =
                        List.of("approve", "--target", target, id, "--patch", "2300-01-0", "--by", "qa-bench");
                Files.deleteIfExists(home.resolve("starter/target/fastdowntime-client-status.jsa"));
                Files.deleteIfExists(home.resolve("starter/target/fastdowntime-client-approve.jsa"));
                written = run(launcher, "status", "tuned, writing the archive", status);
                run(launcher, "approve", "tuned, writing the archive", approve);
                err.printf(Locale.ROOT, "the first tuned run wrote the archive in %.2f s%n", written.wallSeconds());
                for (int i = 0; i < repeat; i++) {
                    for (String mode : List.of("plain", "tuned")) {
                        samples.add(run(launcher, "status", mode, status));
                        samples.add(run(launcher, "approve", mode, approve));
                    }
                }
            }
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        for (String command : List.of("status", "approve")) {
            for (String mode : List.of("plain", "tuned")) {
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
        Report report = new Report(machine, repeat, written, samples, medians);
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? Json.write(report) + "\n" : render(report));
        out.flush();
        return 0;
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
    private static Sample run(Path launcher, String command, String mode, List<String> args) throws Exception {
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
            pb.environment().put("FASTDOWNTIME_CLIENT_JVM", mode.startsWith("tuned") ? "tuned" : "plain");
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
                Locale.ROOT,
                "bench startup: %d run(s) per command and mode; the first tuned run wrote the archive in %.2f s%n",
                r.repeat(),
                r.archiveWritten().wallSeconds()));
        b.append(String.format(
                Locale.ROOT, "%-8s %-6s %12s %12s%n", "command", "mode", "median wall s", "median cpu s"));
        for (String command : List.of("status", "approve")) {
            for (String mode : List.of("plain", "tuned")) {
                b.append(String.format(
                        Locale.ROOT,
                        "%-8s %-6s %12.2f %12.2f%n",
                        command,
                        mode,
                        r.medians().get(command + " " + mode + " wall s"),
                        r.medians().get(command + " " + mode + " cpu s")));
            }
        }
        b.append("machine: ").append(r.machine()).append('\n');
        return b.toString();
    }
}
