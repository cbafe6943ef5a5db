package org.fastdowntime.fleet;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.fastdowntime.model.AbortSignal;
import org.fastdowntime.model.FleetDowntimeRequest;
import org.fastdowntime.model.FleetResult;
import org.fastdowntime.model.FleetStatus;

/**
 * One window over every member of a fleet: one QA, one rehearsal, one quiesce, one announcement, one abort button;
 * each member's outage bounded on its own (waves) or all members or none (atomic).
 */
@WorkflowInterface
public interface FleetDowntimeWorkflow {
    String TYPE = "FleetDowntime";

    /** The workflow id the CLI gives a fleet window: {@code fleet-downtime-NAME-STAMP}. */
    static String workflowId(String fleet, String stamp) {
        return "fleet-downtime-" + fleet + "-" + stamp;
    }

    @WorkflowMethod(name = TYPE)
    FleetResult run(FleetDowntimeRequest request);

    @QueryMethod(name = "status")
    FleetStatus status();

    /**
     * Stops the window: no member that has not committed changes; a running member's outage rolls back and its gate
     * reopens; atomic, before the decision, every member rolls back.
     */
    @SignalMethod(name = "abort")
    void abort(AbortSignal signal);

    /** The ledger of the fleet's environment changed: count it now rather than at the next poll. */
    @SignalMethod(name = "ledgerChanged")
    void ledgerChanged();
}
