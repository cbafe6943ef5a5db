package org.fastdowntime.downtime;

import com.uber.m3.tally.Scope;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.OutageReport;
import org.fastdowntime.model.Outcome;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.WindowState;

/**
 * The project's own metrics, emitted through the workflow's metrics scope (silent during replay, so
 * each is counted once) and exported with Temporal's by the worker's Prometheus endpoint: outage
 * and patch time, QA wait, lead time (landing to applied) and windows by outcome. Names are
 * Prometheus-style; the registry adds the unit suffixes.
 */
public final class WindowMetrics {
    private final String environment;
    private final String workflow;

    public WindowMetrics(String environment, String workflow) {
        this.environment = environment;
        this.workflow = workflow;
    }

    private Scope scope() {
        return Workflow.getMetricsScope()
                .tagged(Map.of("environment", String.valueOf(environment), "workflow", workflow));
    }

    private static com.uber.m3.util.Duration tally(Duration d) {
        return com.uber.m3.util.Duration.ofNanos(d.toNanos());
    }

    public void outage(OutageReport r) {
        scope().timer("fastdowntime_outage").record(tally(Duration.ofMillis(r.outageMillis())));
        scope().timer("fastdowntime_patch").record(tally(Duration.ofMillis(Math.round(r.patchSeconds() * 1000))));
    }

    public void qaWait(Duration d) {
        scope().timer("fastdowntime_qa_wait").record(tally(d));
    }

    /** Lead time of each applied patch whose landing time is known. */
    public void leadTimes(List<PatchCandidate> applied, Instant at) {
        for (PatchCandidate p : applied) {
            if (p.landedAt() != null && !p.landedAt().isAfter(at)) {
                scope().timer("fastdowntime_lead_time").record(tally(Duration.between(p.landedAt(), at)));
            }
        }
    }

    /** A downtime that ended without failing: {@code done}, {@code skipped} or {@code nothing_to_merge}. */
    public void ended(Outcome outcome) {
        window(outcome == Outcome.COMPLETED ? "done" : outcome.name().toLowerCase(Locale.ROOT));
    }

    /** A downtime that failed: {@code aborted} when a person aborted it, else {@code failed}. */
    public void failed(ApplicationFailure failure) {
        window(FailureType.ABORTED.name().equals(failure.getType()) ? "aborted" : "failed");
    }

    /** A calendar window that did not start a downtime: {@code nothing_to_deploy}, {@code blacked_out}… */
    public void notStarted(WindowState state) {
        window(state.name().toLowerCase(Locale.ROOT));
    }

    private void window(String outcome) {
        scope().tagged(Map.of("outcome", outcome))
                .counter("fastdowntime_windows")
                .inc(1);
    }
}
