package org.fastdowntime.fleet;

import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowCancellationType;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.fastdowntime.downtime.WindowFailures;
import org.fastdowntime.model.EnvironmentPolicy;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.FleetPlan.Member;
import org.fastdowntime.model.MemberOutcome;
import org.fastdowntime.model.MemberOutcome.MemberState;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.SealedBundle;
import org.fastdowntime.time.Clock;

/**
 * Runs one wave of member outages as child workflows, all at once, and waits for them: until each ended, or the
 * window was aborted, or (atomic) the budget ran out — then the wave's scope is cancelled, so each running outage
 * rolls back and reopens its gate before its child ends. Workflow code.
 */
final class MemberOutages {
    private final String workflowId;
    private final FleetMembers table;
    private final EnvironmentPolicy policy;
    private final SealedBundle bundle;
    private final List<PatchCandidate> approved;

    MemberOutages(
            String workflowId,
            FleetMembers table,
            EnvironmentPolicy policy,
            SealedBundle bundle,
            List<PatchCandidate> approved) {
        this.workflowId = workflowId;
        this.table = table;
        this.policy = policy;
        this.bundle = bundle;
        this.approved = approved;
    }

    /** The deployment (and child workflow) id of a member's outage in this window. */
    String deploymentId(Member m) {
        return deploymentId(m.name());
    }

    String deploymentId(String member) {
        return workflowId + "/" + member;
    }

    /**
     * Runs {@code wave}; {@code deadline} (atomic) or {@code stop} (an abort) cancel what still runs. Returns the
     * wave's outcomes, also put in the table.
     */
    List<MemberOutcome> run(List<Member> wave, boolean prepare, Instant deadline, BooleanSupplier stop) {
        List<Promise<MemberOutcome>> results = new ArrayList<>();
        CancellationScope scope = Workflow.newCancellationScope(() -> {
            for (Member m : wave) {
                table.set(m.name(), MemberState.RUNNING);
                FleetMemberWorkflow child = Workflow.newChildWorkflowStub(
                        FleetMemberWorkflow.class,
                        ChildWorkflowOptions.newBuilder()
                                .setWorkflowId(deploymentId(m))
                                .setCancellationType(ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED)
                                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
                                .build());
                results.add(Async.function(child::run, request(m, prepare)).handle((o, e) -> {
                    MemberOutcome out = e == null ? o : failed(m, e);
                    table.set(out);
                    return out;
                }));
            }
        });
        scope.run();
        BooleanSupplier allDone = () -> results.stream().allMatch(Promise::isCompleted);
        if (deadline == null) {
            Workflow.await(() -> allDone.getAsBoolean() || stop.getAsBoolean());
        } else {
            Duration left = Duration.between(Clock.now(), deadline);
            if (!left.isNegative()) {
                Workflow.await(left, () -> allDone.getAsBoolean() || stop.getAsBoolean());
            }
        }
        if (!allDone.getAsBoolean()) {
            scope.cancel(stop.getAsBoolean() ? "aborted" : "the outage budget ran out");
        }
        Promise.allOf(results).get();
        return results.stream().map(Promise::get).toList();
    }

    private FleetMemberWorkflow.Request request(Member m, boolean prepare) {
        List<PatchCandidate> mine =
                approved.stream().filter(c -> m.pending().contains(c.id())).toList();
        return new FleetMemberWorkflow.Request(
                m.name(), m.environment(), deploymentId(m), mine, bundle, policy, prepare);
    }

    private static MemberOutcome failed(Member m, RuntimeException e) {
        WindowFailures.Reason why = WindowFailures.of(e);
        boolean cancelled = io.temporal.failure.TemporalFailure.class.isInstance(e) && causedByCancel(e);
        return MemberOutcome.of(m.name(), MemberState.FAILED)
                .failed(
                        cancelled ? FailureType.ABORTED.name() : why.type(),
                        cancelled ? "stopped while its outage ran; rolled back, gate reopened" : why.message());
    }

    private static boolean causedByCancel(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.temporal.failure.CanceledFailure) {
                return true;
            }
        }
        return false;
    }
}
