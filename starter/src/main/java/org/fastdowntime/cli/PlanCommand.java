package org.fastdowntime.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fastdowntime.activity.Json;
import org.fastdowntime.model.LintFinding;
import org.fastdowntime.model.PatchPlan;
import org.fastdowntime.model.PatchPlanEntry;
import org.fastdowntime.model.PatchTiming;
import org.fastdowntime.model.Problem;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.model.ScriptPlanEntry;
import org.fastdowntime.model.TimingReport;
import org.fastdowntime.patch.EngineSettings;
import org.fastdowntime.patch.PatchEngine;
import org.fastdowntime.patch.PatchSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        description = {
            "The dry run: every patch with LIVE/COLD, its status against the database (applied, pending,"
                    + " drifted, missing-file), its lint findings and its staging time when known.",
            "Never writes to the database. Exits 0 when the set is valid and consistent with the"
                    + " database; otherwise prints every problem on stderr and exits with the code of the"
                    + " first kind of problem (see README)."
        })
final class PlanCommand implements Callable<Integer> {
    @Mixin
    PatchOptions options;

    @Option(names = "--json", description = "Print one JSON document (fields documented in the README).")
    boolean json;

    @Option(
            names = "--staging-times",
            paramLabel = "FILE",
            description = "The output of 'time-patches --json', to show each patch's staging time.")
    Path stagingTimes;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        EngineSettings settings = options.settings();
        Map<String, Double> times = readStagingTimes();
        PatchPlan plan;
        try (Connection c = options.connect("fastdowntime plan")) {
            PatchSet set = options.scan(c, settings);
            plan = new PatchEngine(settings).plan(c, set, times);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? Json.write(plan) + "\n" : render(plan));
        out.flush();
        if (plan.valid()) {
            return 0;
        }
        PrintWriter err = spec.commandLine().getErr();
        for (Problem p : plan.problems()) {
            err.println("fastdowntime: " + p.describe());
        }
        err.flush();
        return exitCodeOf(plan.problems());
    }

    /** Several problems: the exit code of the first kind in ProblemType order, so it is stable. */
    static int exitCodeOf(List<Problem> problems) {
        return problems.stream()
                .map(Problem::type)
                .min(Comparator.naturalOrder())
                .map(ProblemType::exitCode)
                .orElse(0);
    }

    private Map<String, Double> readStagingTimes() {
        Map<String, Double> times = new HashMap<>();
        if (stagingTimes == null) {
            return times;
        }
        try {
            TimingReport report = Json.mapper().readValue(Files.readString(stagingTimes), TimingReport.class);
            for (PatchTiming t : report.patches()) {
                times.put(t.id() + "@" + t.sha256(), t.seconds());
            }
            return times;
        } catch (IOException e) {
            throw new CommandFailure(
                    ProblemType.BAD_ARGUMENTS,
                    "--staging-times "
                            + stagingTimes
                            + " is not the output of 'time-patches --json': "
                            + e.getMessage());
        }
    }

    static String render(PatchPlan plan) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "Plan for database %s (PostgreSQL %d.%d), patches from %s%n",
                plan.database(),
                plan.serverVersion() / 10000,
                plan.serverVersion() % 10000,
                plan.folder()));
        for (PatchPlanEntry e : plan.patches()) {
            String time = e.stagingSeconds() == null
                    ? ""
                    : String.format(Locale.ROOT, "  staging %.1f s", e.stagingSeconds());
            b.append(String.format(
                    Locale.ROOT,
                    "  %s  %-4s  %-12s %s%s%n",
                    e.id(),
                    e.kind() == null ? "-" : e.kind().name(),
                    e.status().label(),
                    e.file() == null ? "(no file)" : e.file(),
                    time));
            for (LintFinding f : e.lint()) {
                b.append("      ").append(f.describe()).append('\n');
            }
        }
        for (ScriptPlanEntry sc : plan.scripts()) {
            b.append(String.format(
                    Locale.ROOT,
                    "  %-9s  %-4s  %-12s %s%n",
                    "script",
                    "-",
                    sc.status(),
                    sc.file() + (sc.lastApplied() == null ? "  (never applied)" : "")));
            for (LintFinding f : sc.lint()) {
                b.append("      ").append(f.describe()).append('\n');
            }
        }
        for (String u : plan.ungranted()) {
            b.append("  no grant: ").append(u).append('\n');
        }
        b.append(String.format(
                Locale.ROOT,
                "Pending: %d cold %s, %d live %s%n",
                plan.pendingCold().size(),
                plan.pendingCold(),
                plan.pendingLive().size(),
                plan.pendingLive()));
        b.append(
                plan.valid()
                        ? "OK: the patch set is valid and consistent with the database.\n"
                        : "NOT OK: " + plan.problems().size() + " problem(s), listed on stderr.\n");
        return b.toString();
    }
}
