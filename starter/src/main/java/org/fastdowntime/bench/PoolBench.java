package org.fastdowntime.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fastdowntime.activity.Json;
import org.fastdowntime.cli.CommandFailure;
import org.fastdowntime.model.ProblemType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Several runs of {@code bench downtime --baseline … --json} read as one: each repeat's two outages paired, the
 * pooled medians and the ratio with its 95 % bootstrap interval — how a ratio is read (at least 20 repeats).
 */
@Command(
        name = "pool",
        mixinStandardHelpOptions = true,
        description = "Pools the repeats of several 'bench downtime --baseline … --json' documents: medians of"
                + " fastdowntime's and the baseline's outage, apply and overhead, and the outage ratio with its 95%%"
                + " bootstrap interval.")
final class PoolBench implements Callable<Integer> {
    @Parameters(
            paramLabel = "JSON",
            arity = "1..*",
            description = "The documents, as bench downtime --json wrote them.")
    List<Path> files;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** One repeat's pair of outages. */
    record Pair(double ours, double baseline, double oursApply, double baselineApply) {}

    @Override
    public Integer call() throws IOException {
        List<Pair> pairs = new ArrayList<>();
        for (Path f : files) {
            pairs.addAll(pairs(f));
        }
        if (pairs.isEmpty()) {
            throw new CommandFailure(
                    ProblemType.BAD_ARGUMENTS, "no repeat with both outages in " + files + " (run with --baseline)");
        }
        double[] ours = pairs.stream().mapToDouble(Pair::ours).toArray();
        double[] theirs = pairs.stream().mapToDouble(Pair::baseline).toArray();
        double[] interval = Statistics.ratioInterval(ours, theirs);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                Locale.ROOT,
                "%d repeats from %d run(s): outage fastdowntime %.0f ms, baseline %.0f ms; ratio %.2f (95%%"
                        + " interval %.2f-%.2f); apply %.0f / %.0f ms%n",
                pairs.size(),
                files.size(),
                Statistics.median(ours),
                Statistics.median(theirs),
                Statistics.median(ours) / Statistics.median(theirs),
                interval[0],
                interval[1],
                Statistics.median(pairs.stream().mapToDouble(Pair::oursApply).toArray()),
                Statistics.median(
                        pairs.stream().mapToDouble(Pair::baselineApply).toArray()));
        out.flush();
        return 0;
    }

    private static List<Pair> pairs(Path f) throws IOException {
        JsonNode runs;
        try {
            runs = Json.mapper().readTree(Files.readString(f)).get("runs");
        } catch (IOException e) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, f + ": not a bench downtime --json document: " + e);
        }
        if (runs == null) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, f + ": no runs (a bench downtime --json document?)");
        }
        List<Pair> out = new ArrayList<>();
        for (JsonNode a : runs) {
            if (!"fastdowntime".equals(a.get("kind").asText())
                    || !"COMPLETED".equals(a.get("outcome").asText())) {
                continue;
            }
            for (JsonNode b : runs) {
                if ("baseline".equals(b.get("kind").asText())
                        && b.get("repeat").asInt() == a.get("repeat").asInt()) {
                    out.add(new Pair(
                            a.get("outageMs").asDouble(),
                            b.get("outageMs").asDouble(),
                            a.get("applyMs").asDouble(),
                            b.get("applyMs").asDouble()));
                }
            }
        }
        return out;
    }
}
