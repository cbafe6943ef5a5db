package org.fastdowntime.fleet;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;
import org.fastdowntime.model.EnvironmentPolicy;
import org.fastdowntime.model.MemberOutcome;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.SealedBundle;

/**
 * One member's outage in a fleet window, as a child workflow so that the fleet's own history stays small: the
 * sealed bundle applied in one transaction (committed, or prepared for an atomic fleet's decision), and on every
 * failure its gate reopened (and, prepared, rolled back). It returns how it ended; only a cancellation ends it
 * otherwise.
 */
@WorkflowInterface
public interface FleetMemberWorkflow {
    String TYPE = "FleetMember";

    @WorkflowMethod(name = TYPE)
    MemberOutcome run(Request request);

    /**
     * @param environment the member as the worker knows it ({@code fleet/member}); also the deployment's name
     *     ({@code deploymentId}) in its history
     * @param policy the fleet environment's budgets (heartbeat, outage)
     * @param prepare atomic: prepare instead of commit, gate left closed
     */
    record Request(
            String member,
            String environment,
            String deploymentId,
            List<PatchCandidate> patches,
            SealedBundle bundle,
            EnvironmentPolicy policy,
            boolean prepare) {}
}
