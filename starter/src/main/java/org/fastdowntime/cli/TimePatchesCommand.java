package org.fastdowntime.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fastdowntime.activity.Json;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchKind;
import org.fastdowntime.model.PatchTiming;
import org.fastdowntime.model.TimingReport;
import org.fastdowntime.patch.EngineSettings;
import org.fastdowntime.patch.PatchEngine;
import org.fastdowntime.patch.PatchSet;
import org.fastdowntime.time.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "time-patches",
        mixinStandardHelpOptions = true,
        description = {
            "Staging timing, as QA did it on qastaging: applies every pending COLD patch inside one"
                    + " transaction on the given (staging) database, timing each, then ROLLS BACK, leaving it"
                    + " untouched.",
            "Reports each patch's time (over the per-patch budget needs sign-off), the monthly production"
                    + " estimate (2 x aggregate + 10 min, within 90 min) and the fast-window estimate (2 x"
                    + " aggregate, within 5 min)."
        })
final class TimePatchesCommand implements Callable<Integer> {
    @Mixin
    PatchOptions options;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Option(
            names = "--per-patch-budget",
            defaultValue = "15s",
            paramLabel = "DURATION",
            description = "A patch slower than this needs sign-off (default: ${DEFAULT-VALUE}).")
    String perPatchBudget;

    @Option(
            names = "--patch",
            paramLabel = "ID",
            description = "Time only these patches (repeatable; without it, every pending COLD patch, by name).")
    List<String> only = List.of();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        EngineSettings settings = options.settings().withPerPatchBudget(Durations.parse(perPatchBudget));
        List<PatchId> ids = Ids.parse(only);
        TimingReport report;
        try (Connection c = options.connect("fastdowntime time-patches")) {
            PatchSet set = options.scan(c, settings);
            PatchEngine engine = new PatchEngine(settings);
            // Without --patch, every pending cold patch, named: the engine times only what it is given.
            report = engine.timeCold(c, set, ids.isEmpty() ? engine.pending(c, set, PatchKind.COLD) : ids);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? Json.write(report) + "\n" : render(report));
        out.flush();
        return 0;
    }

    static String render(TimingReport r) {
        StringBuilder b = new StringBuilder();
        b.append("Staging timing on ").append(r.database()).append(" (rolled back: nothing was changed)\n");
        for (PatchTiming t : r.patches()) {
            b.append(String.format(
                    Locale.ROOT,
                    "  %s took %.1f s (rolled back)%s%n",
                    t.id(),
                    t.seconds(),
                    t.needsSignOff()
                            ? String.format(Locale.ROOT, "  NEEDS SIGN-OFF (over %.0f s)", r.perPatchBudgetSeconds())
                            : ""));
        }
        b.append(String.format(Locale.ROOT, "Aggregate: %.1f s%n", r.aggregateSeconds()));
        b.append(String.format(
                Locale.ROOT,
                "Monthly estimate: 2 x %.1f s + 10 min = %.1f min of a %.0f min window: %s%n",
                r.aggregateSeconds(),
                r.monthlyEstimateSeconds() / 60,
                r.monthlyWindowSeconds() / 60,
                r.fitsMonthlyWindow() ? "fits" : "DOES NOT FIT"));
        b.append(String.format(
                Locale.ROOT,
                "Fast window estimate: 2 x %.1f s = %.1f s of a %.0f s budget: %s%n",
                r.aggregateSeconds(),
                r.fastEstimateSeconds(),
                r.fastBudgetSeconds(),
                r.fitsFastWindow() ? "fits" : "DOES NOT FIT"));
        return b.toString();
    }
}
