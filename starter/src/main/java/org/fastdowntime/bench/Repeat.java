package org.fastdowntime.bench;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.model.EventCode;
import org.fastdowntime.model.FastDowntimeRequest;
import org.fastdowntime.model.FastDowntimeResult;
import org.fastdowntime.model.FastDowntimeStatus;
import org.fastdowntime.model.OutagePhase;
import org.fastdowntime.model.OutageReport;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.QaSignal;
import org.fastdowntime.pgbouncer.PgBouncerSettings;
import org.fastdowntime.sandbox.Nanos;

/**
 * One repeat of one outage under its load: fastdowntime's (a real FastDowntime window on the bench's worker,
 * starting half-way through the clients' run) or the hand-written one (on the repeat's twin database), and the
 * figures each gives.
 */
final class Repeat {
    /** The QA person of the bench's windows. */
    static final String QA = "qa-bench";

    private final DowntimeOptions o;
    private final BenchWorld world;

    Repeat(DowntimeOptions o, BenchWorld world) {
        this.o = o;
        this.world = world;
    }

    /** Repeat {@code r}'s fastdowntime window; {@code at} null: no load (the warm-up window). */
    Run fastdowntime(int r, BenchWorld.Endpoint at) throws Exception {
        BenchStandbys.Readers readers =
                at == null || world.standbys() == null ? null : world.standbys().readers("bench_" + r);
        try (Load running = at == null ? Load.NONE : Load.start(o, world, at);
                AutoCloseable reading = readers == null ? () -> {} : readers) {
            long began = System.nanoTime();
            Instant windowStart = Instant.now().plus(o.lead());
            FastDowntimeWorkflow window = startWindow(r, windowStart);
            String outcome;
            try {
                outcome = WorkflowStub.fromTyped(window)
                        .getResult(120, TimeUnit.SECONDS, FastDowntimeResult.class)
                        .outcome()
                        .name();
            } catch (WorkflowFailedException e) {
                outcome = "FAILED: " + e.getCause().getMessage();
            }
            FastDowntimeStatus status = window.status();
            OutageReport outage = status.outage();
            long afterOpen = outage == null ? 0 : Nanos.of(outage.gateOpenedAt()) + 1_000_000_000L;
            long stopAt = Math.max(began + o.runNanos(), afterOpen);
            sleepUntil(stopAt);
            Load.Figures clients = running.figures(Nanos.of(windowStart), outage == null ? stopAt : afterOpen);
            BenchStandbys.Figures standbys =
                    readers == null ? null : readers.figures(outage == null ? List.of() : outage.standbys());
            return outage == null
                    ? Run.withoutOutage(r, outcome, clients)
                    : measured(r, outcome, windowStart, status, clients, standbys);
        }
    }

    private FastDowntimeWorkflow startWindow(int r, Instant windowStart) {
        FastDowntimeWorkflow window = world.client()
                .newWorkflowStub(
                        FastDowntimeWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setTaskQueue(BenchWorld.QUEUE)
                                .setWorkflowId("bench-" + r + "-" + System.nanoTime())
                                .build());
        List<PatchId> cold = world.cold();
        WorkflowClient.start(
                window::run,
                new FastDowntimeRequest(
                        "bench-" + r,
                        windowStart.toString(),
                        cold.stream().map(PatchId::toString).toList())); // the outage's patches only
        for (PatchId p : cold) {
            window.qaOk(new QaSignal(p.toString(), QA, null, null));
        }
        return window;
    }

    private static Run measured(
            int r,
            String outcome,
            Instant windowStart,
            FastDowntimeStatus status,
            Load.Figures clients,
            BenchStandbys.Figures standbys) {
        OutageReport o = status.outage();
        double outage = o.outageMillis();
        double patch = o.patchSeconds() * 1000;
        // The apply step: BEGIN to COMMIT, statements, bookkeeping and COMMIT, as the baseline's is.
        double apply = OutagePhase.APPLY.millisIn(o, (long) patch);
        return new Run(
                r,
                Run.FASTDOWNTIME,
                outcome,
                outage,
                patch,
                apply,
                outage - apply,
                Duration.between(windowStart, o.gateClosedAt()).toNanos() / 1e6,
                clients.attempted(),
                clients.failed(),
                clients.longestStallMs(),
                clients.p99Ms(),
                clients.aborted(),
                phases(windowStart, status),
                standbys);
    }

    /** The hand-written outage half-way through the same load, on the repeat's twin database. */
    Run baseline(int r, BenchWorld.Endpoint at, List<Path> files) throws Exception {
        try (Load l = Load.start(o, world, at)) {
            long began = System.nanoTime();
            Thread.sleep(o.lead().toMillis());
            long from = System.nanoTime();
            BaselineOutage.Result res = handWritten(at, files);
            long to = System.nanoTime() + 1_000_000_000L;
            sleepUntil(Math.max(began + o.runNanos(), to));
            Load.Figures f = l.figures(from, to);
            return new Run(
                    r,
                    Run.BASELINE,
                    Run.COMPLETED,
                    res.outageMs(),
                    res.applyMs(),
                    res.applyMs(),
                    res.outageMs() - res.applyMs(),
                    0,
                    f.attempted(),
                    f.failed(),
                    f.longestStallMs(),
                    f.p99Ms(),
                    f.aborted(),
                    res.phaseMillis(),
                    null);
        }
    }

    private BaselineOutage.Result handWritten(BenchWorld.Endpoint at, List<Path> files) throws Exception {
        var cluster = world.cluster();
        Path bin = cluster.binaries().bin();
        if (!world.pooled()) {
            return BaselineOutage.nativeGate(bin, cluster.port(), cluster.url("postgres"), at.db(), files);
        }
        PgBouncerSettings pooler = world.pooler(at.database());
        return o.baseline == DowntimeOptions.Baseline.SCRIPT
                ? BaselineOutage.pgbouncerScript(pooler, bin, cluster.port(), at.db(), files)
                : BaselineOutage.pgbouncer(pooler, bin, cluster.port(), at.db(), files);
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        while (System.nanoTime() < nanos) {
            Thread.sleep(20);
        }
    }

    /**
     * Where the time from window start to gate open went: the workflow's steps (from its timeline) and the outage
     * activity's own phases.
     */
    static Map<String, Long> phases(Instant windowStart, FastDowntimeStatus status) {
        Map<String, Long> out = new LinkedHashMap<>();
        Instant preflight = at(status, EventCode.PREFLIGHT_STARTED);
        Instant passed = at(status, EventCode.PREFLIGHT_PASSED);
        OutageReport o = status.outage();
        Instant activityStarted = OutagePhase.CONNECT.startIn(o);
        if (preflight != null) {
            out.put(
                    "timer to preflight",
                    Duration.between(windowStart, preflight).toMillis());
        }
        if (preflight != null && passed != null) {
            out.put("preflight", Duration.between(preflight, passed).toMillis());
        }
        if (passed != null && activityStarted != null) {
            out.put(
                    "outage activity start",
                    Math.max(0, Duration.between(passed, activityStarted).toMillis()));
        }
        out.putAll(o.phaseMillis());
        return out;
    }

    private static Instant at(FastDowntimeStatus s, EventCode code) {
        return s.timeline().stream()
                .filter(e -> e.code() == code)
                .map(e -> e.at())
                .findFirst()
                .orElse(null);
    }
}
