package org.fastdowntime.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fastdowntime.activity.Json;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.ProblemType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

@Command(
        name = "downtime",
        mixinStandardHelpOptions = true,
        description = {
            "Measures a fast-downtime outage under load: a throwaway PostgreSQL cluster (and pgbouncer"
                    + " for that gate), N clients doing short read/write transactions on the application's"
                    + " path, and a real FastDowntime run by a real worker on the embedded Temporal"
                    + " service, applying the given cold patches.",
            "Reports per repeat and as medians: outage (gate closed -> open), patch time, overhead ="
                    + " outage - patch time, window start -> gate closed, client transactions attempted /"
                    + " failed in the window [window start, gate open + 1 s], longest stall and p99 latency"
                    + " in it."
        })
final class DowntimeBench implements Callable<Integer> {
    @Mixin
    DowntimeOptions options;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        options.check();
        CpuPlacement placement = options.placement();
        Path folder = options.folder();
        String machine = BenchCommand.machine(); // before --db-cpus narrows what this process sees
        if (placement != null) {
            placement.pinSelf();
            machine += "; PostgreSQL, pgbouncer and pgbench on CPU " + placement.database()
                    + ", the worker and psql on CPU " + placement.rest();
        }
        try {
            List<Run> runs = new ArrayList<>();
            List<PatchId> cold;
            try (BenchWorld world = BenchWorld.start(options, placement, folder)) {
                cold = world.cold();
                runs.addAll(repeats(world, folder));
            }
            DowntimeReport report = DowntimeReport.of(options, folder.toString(), cold, machine, runs);
            PrintWriter out = spec.commandLine().getOut();
            out.print(options.json ? Json.write(report) + "\n" : report.render());
            out.flush();
            return report.allCompleted() ? 0 : ProblemType.WINDOW_FAILED.exitCode();
        } finally {
            if (placement != null) {
                placement.close();
            }
        }
    }

    /**
     * A warm-up window, then each repeat: fastdowntime's outage and, with --baseline, the hand-written one under
     * the same load, alternating which goes first.
     */
    private List<Run> repeats(BenchWorld world, Path folder) throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Repeat repeat = new Repeat(options, world);
        List<Path> files = world.cold().stream()
                .map(id -> folder.resolve("patch-" + id + ".sql"))
                .toList();
        // A worker that has served windows before, as production's has: the first window of a fresh JVM loads
        // and compiles everything and would arm late.
        Run warmUp = repeat.fastdowntime(0, null);
        err.printf(
                Locale.ROOT,
                "warm-up window (no load, not counted): %s, outage %.0f ms%n",
                warmUp.outcome(),
                warmUp.outageMs());
        List<Run> runs = new ArrayList<>();
        boolean baseline = options.baseline != null;
        for (int r = 1; r <= options.repeat; r++) {
            boolean baselineFirst = baseline && r % 2 == 1;
            if (baselineFirst) {
                runs.add(say(err, repeat.baseline(r, world.endpoint(r, true), files)));
            }
            runs.add(say(err, repeat.fastdowntime(r, world.endpoint(r, false))));
            if (baseline && !baselineFirst) {
                runs.add(say(err, repeat.baseline(r, world.endpoint(r, true), files)));
            }
        }
        return runs;
    }

    private static Run say(PrintWriter err, Run run) {
        err.printf(
                Locale.ROOT,
                "repeat %d, %s: outage %.0f ms, overhead %.0f ms, %d/%d client transactions failed, %d client(s)"
                        + " aborted%n",
                run.repeat(),
                run.kind(),
                run.outageMs(),
                run.overheadMs(),
                run.failed(),
                run.attempted(),
                run.abortedClients());
        err.flush();
        return run;
    }
}
