package org.fastdowntime.downtime;

import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.Outcome;

/**
 * How a downtime ended, told once on every path: to the metrics ({@link WindowMetrics}) and, since the change
 * "outcome-attributes", to the search attributes {@code DowntimeEnvironment} (set at the start) and
 * {@code DowntimeOutcome} (set at the end), so lists tell an aborted window from a failed patch and an empty window
 * from one that applied patches. Workflow code.
 */
public final class WindowOutcome {
    private final WindowMetrics metrics;
    private final boolean attributes;

    private WindowOutcome(WindowMetrics metrics, boolean attributes) {
        this.metrics = metrics;
        this.attributes = attributes;
    }

    /** Called first thing in a downtime's run: records the environment asked for. */
    public static WindowOutcome begin(String environment, String workflowType) {
        boolean attributes = Change.OUTCOME_ATTRIBUTES.isOn();
        if (attributes) {
            DowntimeSearchAttributes.environment(environment);
        }
        return new WindowOutcome(new WindowMetrics(environment, workflowType), attributes);
    }

    /** The metrics of the window (its outage, QA wait, lead times). */
    public WindowMetrics metrics() {
        return metrics;
    }

    /**
     * It ended without failing: {@code applied} patches applied, {@code waiting} left waiting for the next window.
     */
    public void ended(Outcome outcome, int applied, int waiting) {
        metrics.ended(outcome);
        attribute(DowntimeSearchAttributes.outcome(outcome, applied, waiting));
    }

    /** It ended as {@code outcome} (a fleet's PARTIAL), counted in the metrics as {@code counted}. */
    public void endedAs(String outcome, Outcome counted) {
        metrics.ended(counted);
        attribute(outcome);
    }

    /** It failed (or was aborted): its failure's type. */
    public void failed(ApplicationFailure e) {
        metrics.failed(e);
        attribute(FailureType.named(e.getType()).name());
    }

    /** It was cancelled: {@code cleanup} runs, then the outcome is recorded, both in a detached scope. */
    public void cancelled(Runnable cleanup) {
        Workflow.newDetachedCancellationScope(() -> {
                    cleanup.run();
                    attribute(DowntimeSearchAttributes.CANCELLED);
                })
                .run();
    }

    private void attribute(String outcome) {
        if (attributes) {
            DowntimeSearchAttributes.ended(outcome);
        }
    }
}
