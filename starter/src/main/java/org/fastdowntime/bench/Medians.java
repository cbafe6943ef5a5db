package org.fastdowntime.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The medians of one kind of outage's repeats, figure by figure, and of each phase. */
record Medians(
        double outageMs,
        double patchMs,
        double applyMs,
        double overheadMs,
        double startToGateClosedMs,
        double attempted,
        double failed,
        double longestStallMs,
        double p99Ms,
        double abortedClients,
        Map<String, Double> phases) {

    static Medians of(List<Run> runs) {
        Map<String, Double> phases = new LinkedHashMap<>();
        runs.stream()
                .flatMap(x -> x.phaseMillis().keySet().stream())
                .distinct()
                .forEach(phase -> phases.put(
                        phase, Statistics.median(runs, x -> x.phaseMillis().getOrDefault(phase, 0L))));
        return new Medians(
                Statistics.median(runs, Run::outageMs),
                Statistics.median(runs, Run::patchMs),
                Statistics.median(runs, Run::applyMs),
                Statistics.median(runs, Run::overheadMs),
                Statistics.median(runs, Run::startToGateClosedMs),
                Statistics.median(runs, Run::attempted),
                Statistics.median(runs, Run::failed),
                Statistics.median(runs, Run::longestStallMs),
                Statistics.median(runs, Run::p99Ms),
                Statistics.median(runs, Run::abortedClients),
                phases);
    }
}
