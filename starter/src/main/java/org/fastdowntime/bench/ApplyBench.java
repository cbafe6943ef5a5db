package org.fastdowntime.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fastdowntime.activity.Json;
import org.fastdowntime.cli.CommandFailure;
import org.fastdowntime.model.ApplyReport;
import org.fastdowntime.model.Deployment;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.patch.EngineSettings;
import org.fastdowntime.patch.PatchEngine;
import org.fastdowntime.patch.PatchFolder;
import org.fastdowntime.patch.PatchSet;
import org.fastdowntime.sandbox.DemoCommand;
import org.fastdowntime.sandbox.LoadClients;
import org.fastdowntime.sandbox.ThrowawayCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The apply alone, side by side with psql: a folder's pending cold patches applied in one
 * transaction by the engine an outage uses (patches, revision and history rows, COMMIT) and by
 * {@code psql -1 -v ON_ERROR_STOP=1}, each on its own fresh copy of the same database, alternating
 * which goes first. Nothing else runs; figures are printed, nothing is asserted.
 */
@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        description = {
            "Measures the apply of a folder's pending cold patches in one transaction: fastdowntime's engine"
                    + " (patches, revision and history rows, COMMIT) and psql -1 -v ON_ERROR_STOP=1, each on a"
                    + " fresh copy of a database built from the folder's baseline in a throwaway cluster,"
                    + " alternating which goes first.",
            "Reports each run, the medians and the ratio fastdowntime/psql; the engine's time is split into"
                    + " the patches' statements and its bookkeeping."
        })
final class ApplyBench implements Callable<Integer> {
    @Option(
            names = "--patches",
            paramLabel = "DIR",
            description = "Patch folder with a baseline (default: the project's bench-patches/, 55 real-world"
                    + " cold patches).")
    Path patches;

    @Option(names = "--repeat", defaultValue = "7", description = "Measured runs of each (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(
            names = "--warmup",
            defaultValue = "2",
            description = "Runs of each before measuring, as a worker that has served windows before"
                    + " (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--latency-us",
            paramLabel = "MICROSECONDS",
            defaultValue = "0",
            description = "Added to each direction of both applies' connections by a TCP proxy in this process"
                    + " (250: every round trip 0.5 ms longer, as between two machines of one data centre; default:"
                    + " ${DEFAULT-VALUE}, none).")
    int latencyUs;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** One measured run; times in milliseconds. psql's runs have no split (-1). */
    record Run(int repeat, String by, double applyMs, double statementsMs, double bookkeepingMs) {}

    record Report(
            String patches,
            int patchCount,
            int statementCount,
            int repeats,
            int warmups,
            int latencyUs,
            String machine,
            List<Run> runs,
            Map<String, Double> medians,
            double ratio) {}

    @Override
    public Integer call() throws Exception {
        if (repeat < 1 || warmup < 0 || latencyUs < 0) {
            throw new CommandFailure(
                    ProblemType.BAD_ARGUMENTS, "--repeat must be >= 1, --warmup >= 0 and --latency-us >= 0");
        }
        Path folder = patches != null
                ? patches
                : Path.of(System.getenv().getOrDefault("FASTDOWNTIME_HOME", "."), "bench-patches");
        if (!Files.isDirectory(folder)) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "no patch folder " + folder);
        }
        EngineSettings settings = EngineSettings.defaults();
        List<Run> runs = new ArrayList<>();
        List<PatchId> cold;
        PatchSet set;
        try (ThrowawayCluster cluster = ThrowawayCluster.start("-c max_connections=40");
                LatencyProxy proxy = latencyUs > 0
                        ? LatencyProxy.start(cluster.port(), Duration.ofNanos(latencyUs * 1000L))
                        : null) {
            int port = proxy != null ? proxy.port() : cluster.port();
            String template = "apply_template";
            DemoCommand.createRole(cluster.url("postgres"), "fdt_bench_app");
            DemoCommand.createDatabase(
                    cluster.url("postgres"), cluster.url(template), template, "fdt_bench_app", folder);
            cold = DemoCommand.plan(cluster.url(template), folder).pendingCold();
            if (cold.isEmpty()) {
                throw new CommandFailure(ProblemType.BAD_ARGUMENTS, folder + " has no pending cold patch to apply");
            }
            set = PatchFolder.scan(folder, settings, 15);
            List<Path> files =
                    cold.stream().map(id -> set.find(id).orElseThrow().path()).toList();
            for (int i = 1; i <= warmup + repeat; i++) {
                one(cluster, port, template, i, set, cold, files, settings, runs);
            }
        }
        return report(folder, cold, set, runs);
    }

    /**
     * Repeat {@code i}: the engine and psql each apply the patches to a fresh copy of the template, in
     * alternating order; the warm-ups are not counted.
     */
    private void one(
            ThrowawayCluster cluster,
            int port,
            String template,
            int i,
            PatchSet set,
            List<PatchId> cold,
            List<Path> files,
            EngineSettings settings,
            List<Run> runs)
            throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        String ours = "apply_" + i + "_f";
        String theirs = "apply_" + i + "_p";
        cluster.execute("CREATE DATABASE " + ours + " TEMPLATE " + template);
        cluster.execute("CREATE DATABASE " + theirs + " TEMPLATE " + template);
        boolean psqlFirst = i % 2 == 0;
        double psql = -1;
        if (psqlFirst) {
            psql = PsqlApply.apply(cluster.binaries().bin(), port, theirs, files);
        }
        Run engine = engine(
                "jdbc:postgresql://127.0.0.1:" + port + "/" + ours + "?user=postgres", set, cold, settings, i - warmup);
        if (!psqlFirst) {
            psql = PsqlApply.apply(cluster.binaries().bin(), port, theirs, files);
        }
        if (i > warmup) {
            runs.add(engine);
            runs.add(new Run(i - warmup, "psql", psql, -1, -1));
            err.printf(
                    Locale.ROOT,
                    "run %d: fastdowntime %.1f ms (statements %.1f, bookkeeping %.1f), psql %.1f ms%n",
                    i - warmup,
                    engine.applyMs(),
                    engine.statementsMs(),
                    engine.bookkeepingMs(),
                    psql);
            err.flush();
        }
        cluster.execute("DROP DATABASE " + ours);
        cluster.execute("DROP DATABASE " + theirs);
    }

    private int report(Path folder, List<PatchId> cold, PatchSet set, List<Run> runs) {
        Map<String, Double> medians = new LinkedHashMap<>();
        medians.put("fastdowntime", median(runs, "fastdowntime", Run::applyMs));
        medians.put("fastdowntime statements", median(runs, "fastdowntime", Run::statementsMs));
        medians.put("fastdowntime bookkeeping", median(runs, "fastdowntime", Run::bookkeepingMs));
        medians.put("psql", median(runs, "psql", Run::applyMs));
        int statements = cold.stream()
                .mapToInt(id -> set.find(id).orElseThrow().statements().size())
                .sum();
        Report report = new Report(
                folder.toString(),
                cold.size(),
                statements,
                repeat,
                warmup,
                latencyUs,
                BenchCommand.machine(),
                runs,
                medians,
                medians.get("fastdowntime") / medians.get("psql"));
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? Json.write(report) + "\n" : render(report));
        out.flush();
        return 0;
    }

    /** One apply by the engine, on a connection opened beforehand as an outage's is. */
    private static Run engine(String url, PatchSet set, List<PatchId> cold, EngineSettings settings, int repeat)
            throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            long t0 = System.nanoTime();
            ApplyReport r = new PatchEngine(settings)
                    .applyCold(c, set, cold, new Deployment("bench-apply", "fastdowntime", null, null));
            double total = (System.nanoTime() - t0) / 1e6;
            double statements = r.patchSeconds() * 1000;
            return new Run(repeat, "fastdowntime", total, statements, total - statements);
        }
    }

    private static double median(List<Run> runs, String by, java.util.function.ToDoubleFunction<Run> figure) {
        return LoadClients.median(
                runs.stream().filter(r -> r.by().equals(by)).mapToDouble(figure).toArray());
    }

    static String render(Report r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "bench apply: %s, %d cold patches (%d statements) in one transaction, %d run(s) after %d warm-up%n",
                r.patches(),
                r.patchCount(),
                r.statementCount(),
                r.repeats(),
                r.warmups()));
        if (r.latencyUs() > 0) {
            b.append(String.format(
                    Locale.ROOT, "each connection through a proxy adding %d µs each way%n", r.latencyUs()));
        }
        b.append(String.format(
                Locale.ROOT,
                "%-6s %-13s %10s %14s %16s%n",
                "run",
                "by",
                "apply ms",
                "statements ms",
                "bookkeeping ms"));
        for (Run x : r.runs()) {
            b.append(String.format(
                    Locale.ROOT,
                    "%-6d %-13s %10.1f %14s %16s%n",
                    x.repeat(),
                    x.by(),
                    x.applyMs(),
                    x.statementsMs() < 0 ? "-" : String.format(Locale.ROOT, "%.1f", x.statementsMs()),
                    x.bookkeepingMs() < 0 ? "-" : String.format(Locale.ROOT, "%.1f", x.bookkeepingMs())));
        }
        Map<String, Double> m = r.medians();
        b.append(String.format(
                Locale.ROOT,
                "median: fastdowntime %.1f ms (statements %.1f, bookkeeping %.1f), psql %.1f ms; ratio"
                        + " fastdowntime/psql %.2f%n",
                m.get("fastdowntime"),
                m.get("fastdowntime statements"),
                m.get("fastdowntime bookkeeping"),
                m.get("psql"),
                r.ratio()));
        b.append("machine: ").append(r.machine()).append('\n');
        return b.toString();
    }
}
