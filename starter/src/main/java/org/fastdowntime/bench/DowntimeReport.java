package org.fastdowntime.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.fastdowntime.model.PatchId;

/**
 * The downtime benchmark's report: its settings, every repeat, the medians of each kind of outage and, with a
 * baseline, the ratios of fastdowntime's medians to the hand-written outage's with their 95 % intervals. JSON as
 * it stands ({@code --json}); text by {@link #render()}.
 */
record DowntimeReport(
        String gate,
        String load,
        int clients,
        int repeats,
        double seconds,
        String patches,
        List<PatchId> coldPatches,
        String machine,
        List<Run> runs,
        Medians medians,
        Medians baselineMedians,
        Map<String, Double> ratios,
        Map<String, double[]> ratioIntervals,
        String baseline,
        String dbCpus) {

    /** The figures compared between the two outages, by the names the ratios are reported under. */
    private static final Map<String, ToDoubleFunction<Run>> COMPARED =
            Map.of("outage", Run::outageMs, "overhead", Run::overheadMs, "apply", Run::applyMs);

    static DowntimeReport of(DowntimeOptions o, String patches, List<PatchId> cold, String machine, List<Run> runs) {
        List<Run> ours =
                runs.stream().filter(x -> x.kind().equals(Run.FASTDOWNTIME)).toList();
        List<Run> theirs =
                runs.stream().filter(x -> x.kind().equals(Run.BASELINE)).toList();
        Map<String, Double> ratios = new LinkedHashMap<>();
        Map<String, double[]> intervals = new LinkedHashMap<>();
        if (!theirs.isEmpty()) {
            for (String name : List.of("outage", "overhead", "apply")) {
                double[] a = ours.stream().mapToDouble(COMPARED.get(name)).toArray();
                double[] b = theirs.stream().mapToDouble(COMPARED.get(name)).toArray();
                ratios.put(name, Statistics.median(a) / Statistics.median(b));
                intervals.put(name, Statistics.ratioInterval(a, b));
            }
        }
        return new DowntimeReport(
                o.gate.label(),
                o.load.label(),
                o.clients,
                o.repeat,
                o.seconds,
                patches,
                cold,
                machine,
                runs,
                Medians.of(ours),
                theirs.isEmpty() ? null : Medians.of(theirs),
                ratios,
                intervals,
                o.baseline == null ? null : o.baseline.label(),
                o.dbCpus);
    }

    /** Whether every window of the run completed. */
    boolean allCompleted() {
        return runs.stream().allMatch(Run::completed);
    }

    String render() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "bench downtime: gate %s, load %s, %d clients, %d repeat(s), %.0f s each, cold patches %s%n",
                gate,
                load,
                clients,
                repeats,
                seconds,
                coldPatches));
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
        runs.forEach(x -> runLine(b, x));
        runs.stream().filter(x -> x.standbys() != null).forEach(x -> standbyLines(b, x));
        medianLine(b, Run.FASTDOWNTIME, medians);
        if (baselineMedians != null) {
            medianLine(b, Run.BASELINE, baselineMedians);
            b.append(String.format(
                    Locale.ROOT,
                    "ratio fastdowntime/baseline (%s): outage %.2f (95%% interval %.2f-%.2f), overhead %.2f,"
                            + " apply %.2f%n",
                    baseline,
                    ratios.get("outage"),
                    ratioIntervals.get("outage")[0],
                    ratioIntervals.get("outage")[1],
                    ratios.get("overhead"),
                    ratios.get("apply")));
        }
        b.append("median ms per step:");
        medians.phases().forEach((phase, ms) -> b.append(String.format(Locale.ROOT, " %s %.0f;", phase, ms)));
        b.append('\n');
        b.append("machine: ").append(machine).append('\n');
        return b.toString();
    }

    private static void runLine(StringBuilder b, Run x) {
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
                x.completed() ? "" : "  " + x.outcome()));
    }

    /** Per standby of a repeat: what its readers saw and how long it took to catch up. */
    private static void standbyLines(StringBuilder b, Run x) {
        b.append(String.format(
                Locale.ROOT,
                "repeat %d standbys: no standby could serve for %.0f ms%n",
                x.repeat(),
                x.standbys().unservedMs()));
        for (BenchStandbys.Standby s : x.standbys().standbys()) {
            b.append(String.format(
                    Locale.ROOT,
                    "  %-4s refused %3d direct, %3d through pgbouncer; failed or cancelled reads %3d; longest read %5.0f"
                            + " ms; caught up %s%n",
                    s.name(),
                    s.refusedDirect(),
                    s.refusedPooled(),
                    s.failed(),
                    s.longestStallMs(),
                    s.catchUpSeconds() == null
                            ? "no (" + s.catchUpState() + ")"
                            : String.format(Locale.ROOT, "in %.2f s", s.catchUpSeconds())));
        }
    }

    private static void medianLine(StringBuilder b, String kind, Medians m) {
        b.append(String.format(
                Locale.ROOT,
                "%-7s %-12s %10.0f %10.0f %11.0f %16.0f %8.0f %7.0f %8.0f %9s %7s%n",
                "median",
                kind,
                m.outageMs(),
                m.applyMs(),
                m.overheadMs(),
                m.startToGateClosedMs(),
                m.attempted(),
                m.failed(),
                m.abortedClients(),
                figure(m.longestStallMs(), "%.0f"),
                figure(m.p99Ms(), "%.1f")));
    }

    /** A figure the load measured, or "-" (pgbench measures no stall or p99 of its own). */
    private static String figure(double v, String format) {
        return v < 0 ? "-" : String.format(Locale.ROOT, format, v);
    }
}
