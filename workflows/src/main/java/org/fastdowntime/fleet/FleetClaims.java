package org.fastdowntime.fleet;

import io.temporal.workflow.Async;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.fastdowntime.downtime.WindowFailures;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.FleetPlan;
import org.fastdowntime.ports.DatabaseActivities;

/**
 * One window per member at a time: a fleet window claims every member first (a member held by another window,
 * fleet or fast, refuses the whole fleet before anything is done) and gives each back when it ends. Workflow code.
 */
final class FleetClaims {
    /** Claims and releases are short: this many at a time at least. */
    private static final int AT_ONCE = 10;

    private final DatabaseActivities db;
    private final String workflowId;
    private final List<String> held = new ArrayList<>();

    FleetClaims(DatabaseActivities db, String workflowId) {
        this.db = db;
        this.workflowId = workflowId;
    }

    void claimAll(FleetPlan plan) {
        List<String> refused = Fanout.each(
                        plan.members(),
                        Math.max(plan.parallelism(), AT_ONCE),
                        m -> Async.procedure(db::claimEnvironment, m.environment(), workflowId)
                                .thenApply(x -> {
                                    held.add(m.environment());
                                    return (String) null;
                                }),
                        (m, e) -> m.name() + ": " + WindowFailures.of(e).message())
                .stream()
                .filter(Objects::nonNull)
                .toList();
        if (!refused.isEmpty()) {
            throw WindowFailures.fail(
                    FailureType.WINDOW_BUSY, "members held by another window: " + String.join("; ", refused));
        }
    }

    /** Gives every claimed member back; a failure is left for the next claim to take over. */
    void releaseAll() {
        List<String> members = List.copyOf(held);
        held.clear();
        Fanout.each(
                members,
                AT_ONCE,
                env -> Async.procedure(db::releaseEnvironment, env, workflowId).thenApply(x -> env),
                (env, e) -> env);
    }
}
