package org.fastdowntime.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.fastdowntime.activity.Json;
import org.fastdowntime.cli.CommandFailure;
import org.fastdowntime.env.ApprovalSettings;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.sandbox.DemoCommand;
import org.fastdowntime.sandbox.LoadClients;
import org.fastdowntime.sandbox.LocalTemporal;
import org.fastdowntime.sandbox.ThrowawayCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A signed approval of every patch of the realistic set ({@code bench-patches/}, 55 patches) in one call, end to end
 * as a QA engineer runs it: {@code ./fastdowntime approve --environment … --sign} as a process (each patch's
 * statement signed with a key file ssh-keygen made), against a real worker on the real Temporal server, whose ledger
 * has the worker check every signature against the allowed signers and records all 55. Each run is a different
 * approver, so each records; nothing is asserted.
 */
@Command(
        name = "approvals",
        mixinStandardHelpOptions = true,
        description = "Measures a signed approval of the 55 patches of bench-patches/ in one call, end to end: wall"
                + " and CPU seconds per run and their medians.")
final class ApprovalBench implements Callable<Integer> {
    @Option(names = "--repeat", defaultValue = "5", description = "Runs (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(
            names = "--key-type",
            defaultValue = "ed25519",
            description = "ssh-keygen's key type: ed25519, ecdsa or rsa (default: ${DEFAULT-VALUE}).")
    String keyType;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    record Report(
            String server,
            String keyType,
            int patches,
            List<StartupBench.Sample> samples,
            double medianWall,
            double medianCpu) {}

    @Override
    public Integer call() throws Exception {
        if (repeat < 1 || !List.of("ed25519", "ecdsa", "rsa").contains(keyType)) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--repeat must be >= 1; --key-type ed25519|ecdsa|rsa");
        }
        Path home =
                Path.of(System.getenv().getOrDefault("FASTDOWNTIME_HOME", ".")).toAbsolutePath();
        Path launcher = home.resolve("fastdowntime");
        Path folder = home.resolve("bench-patches");
        if (!Files.isExecutable(launcher) || !Files.isDirectory(folder)) {
            throw new CommandFailure(
                    ProblemType.BAD_ARGUMENTS,
                    "run this through ./fastdowntime in the project (it needs bench-patches/)");
        }
        List<String> patches = patchIds(folder);
        Path keys = Files.createTempDirectory("fastdowntime-approval-bench-");
        List<String> people = new ArrayList<>();
        StringBuilder allowed = new StringBuilder();
        for (int i = 1; i <= repeat; i++) {
            String person = "qa-" + i;
            people.add(person);
            allowed.append(person).append(' ').append(Files.readString(keygen(keys, person)));
        }
        Path signers = Files.writeString(keys.resolve("allowed_signers"), allowed);
        List<StartupBench.Sample> samples = new ArrayList<>();
        String server = measure(launcher, folder, patches, keys, people, signers, samples);
        Report r = new Report(
                server,
                keyType,
                patches.size(),
                samples,
                LoadClients.median(samples.stream()
                        .mapToDouble(StartupBench.Sample::wallSeconds)
                        .toArray()),
                LoadClients.median(samples.stream()
                        .mapToDouble(StartupBench.Sample::cpuSeconds)
                        .toArray()));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(r));
        } else {
            out.printf(
                    Locale.ROOT,
                    "Signed approval of %d patches in one call (%s keys, %s):%n",
                    r.patches(),
                    keyType,
                    server);
            for (StartupBench.Sample s : samples) {
                out.printf(
                        Locale.ROOT, "  exit %d  wall %.2f s  cpu %.2f s%n", s.exit(), s.wallSeconds(), s.cpuSeconds());
            }
            out.printf(Locale.ROOT, "median wall %.2f s, cpu %.2f s%n", r.medianWall(), r.medianCpu());
        }
        out.flush();
        return samples.stream().allMatch(s -> s.exit() == 0) ? 0 : 1;
    }

    private static List<String> patchIds(Path folder) throws java.io.IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith("patch-"))
                    .map(n -> n.substring("patch-".length(), n.length() - ".sql".length()))
                    .sorted()
                    .toList();
        }
    }

    /** One signed approval of every patch per person, each on a database with the set's baseline; the server used. */
    private String measure(
            Path launcher,
            Path folder,
            List<String> patches,
            Path keys,
            List<String> people,
            Path signers,
            List<StartupBench.Sample> samples)
            throws Exception {
        try (ThrowawayCluster cluster = ThrowawayCluster.start()) {
            DemoCommand.createRole(cluster.url("postgres"), "fdt_approvals_app");
            DemoCommand.createDatabase(
                    cluster.url("postgres"), cluster.url("approvals"), "approvals", "fdt_approvals_app", folder);
            EnvironmentSettings env = EnvironmentSettings.builder(
                            "approvals", cluster.url("approvals").replaceAll("\\?.*$", ""))
                    .patches(folder)
                    .approvers(people)
                    .approvals(new ApprovalSettings(ApprovalSettings.Require.SIGNED, signers))
                    .build();
            String queue = "fastdowntime-approval-bench";
            try (LocalTemporal temporal = LocalTemporal.startReal(queue, Map.of("approvals", env))) {
                for (String person : people) {
                    List<String> args = new ArrayList<>(List.of(
                            "approve",
                            "--environment",
                            "approvals",
                            "--by",
                            person,
                            "--sign",
                            "--key",
                            keys.resolve(person).toString(),
                            "--patches",
                            folder.toString(),
                            "--target",
                            temporal.target(),
                            "--task-queue",
                            queue));
                    patches.forEach(p -> args.addAll(List.of("--patch", p)));
                    samples.add(StartupBench.run(launcher, "tuned", keyType, args));
                }
                return temporal.httpTarget() == null ? "embedded" : "temporal server start-dev";
            }
        }
    }

    private Path keygen(Path dir, String person) throws Exception {
        Path key = dir.resolve(person);
        List<String> cmd = new ArrayList<>(
                List.of("ssh-keygen", "-q", "-t", keyType, "-N", "", "-C", person, "-f", key.toString()));
        if (keyType.equals("rsa")) {
            cmd.addAll(List.of("-b", "3072"));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new CommandFailure(
                    1, "ssh-keygen could not make a " + keyType + " key (is openssh-client installed?)");
        }
        return Path.of(key + ".pub");
    }
}
