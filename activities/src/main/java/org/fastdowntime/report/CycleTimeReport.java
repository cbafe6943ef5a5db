package org.fastdowntime.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The cycle-time report's figures: every outage with its patches, every applied patch with its lead
 * time, and per week and per month the p50/p95 lead time and outage — against the goals, 24 h of
 * lead time and 5 minutes of outage.
 */
public record CycleTimeReport(
        String environment,
        Instant since,
        Instant generated,
        List<History.WindowRow> windows,
        List<History.PatchRow> patches,
        List<Period> weeks,
        List<Period> months,
        Goals goals) {

    public record Goals(double leadHours, double outageSeconds) {
        public static Goals standard() {
            return new Goals(24, 300);
        }
    }

    /** Nearest-rank percentiles; NaN where the period had no figure. */
    public record Period(
            String period,
            int windows,
            int patches,
            double leadP50Hours,
            double leadP95Hours,
            double outageP50Seconds,
            double outageP95Seconds,
            double outageMaxSeconds) {}

    public static CycleTimeReport of(
            String environment, Instant since, List<History.WindowRow> windows, List<History.PatchRow> patches) {
        return new CycleTimeReport(
                environment,
                since,
                Instant.now(),
                List.copyOf(windows),
                List.copyOf(patches),
                periods(windows, patches, CycleTimeReport::week),
                periods(windows, patches, CycleTimeReport::month),
                Goals.standard());
    }

    static String week(Instant t) {
        var d = t.atOffset(ZoneOffset.UTC);
        return String.format("%d-W%02d", d.get(IsoFields.WEEK_BASED_YEAR), d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    static String month(Instant t) {
        var d = t.atOffset(ZoneOffset.UTC);
        return String.format("%d-%02d", d.getYear(), d.getMonthValue());
    }

    private static List<Period> periods(
            List<History.WindowRow> windows, List<History.PatchRow> patches, Function<Instant, String> key) {
        Map<String, List<History.WindowRow>> w = new TreeMap<>();
        Map<String, List<History.PatchRow>> p = new TreeMap<>();
        windows.forEach(x -> w.computeIfAbsent(key.apply(x.windowStart()), k -> new ArrayList<>())
                .add(x));
        patches.forEach(x -> p.computeIfAbsent(key.apply(x.applied()), k -> new ArrayList<>())
                .add(x));
        TreeMap<String, Boolean> all = new TreeMap<>();
        w.keySet().forEach(k -> all.put(k, true));
        p.keySet().forEach(k -> all.put(k, true));
        List<Period> out = new ArrayList<>();
        for (String k : all.keySet()) {
            double[] lead = p.getOrDefault(k, List.of()).stream()
                    .mapToDouble(History.PatchRow::leadHours)
                    .toArray();
            double[] outage = w.getOrDefault(k, List.of()).stream()
                    .mapToDouble(x -> x.outageMillis() / 1000.0)
                    .toArray();
            out.add(new Period(
                    k,
                    w.getOrDefault(k, List.of()).size(),
                    lead.length,
                    percentile(lead, 0.5),
                    percentile(lead, 0.95),
                    percentile(outage, 0.5),
                    percentile(outage, 0.95),
                    percentile(outage, 1.0)));
        }
        return out;
    }

    public static double percentile(double[] values, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int n = (int) Math.ceil(q * v.length);
        return v[Math.max(0, n - 1)];
    }
}
