package org.fastdowntime.model;

import java.time.Duration;
import java.util.List;

/**
 * What a workflow needs to know of an environment's configuration: people and budgets, never
 * connection details or secrets (those stay in the worker).
 *
 * @param preflightLead preflight runs this long before the window (30 s)
 * @param armLead the outage activity starts this long before the window, opens its connections, and
 *     closes the gate on its own clock at the window's start (5 s); null in histories recorded
 *     before it existed
 * @param stagingTotal the most the cold candidates' staging times may add up to (Launchpad: 10–15 s
 *     total); the patches beyond it need a sign-off; null in histories recorded before it existed
 * @param signedApprovals whether only signed verdicts count (given to the environment's approval ledger with
 *     {@code approve --sign}); null (not signed) in histories recorded before it existed
 */
public record EnvironmentPolicy(
        String environment,
        List<String> approvers,
        List<String> signOffApprovers,
        boolean stagingConfigured,
        Duration perPatchBudget,
        Duration outageBudget,
        Duration qaLead,
        Duration quiesceLead,
        Duration heartbeatTimeout,
        Duration preflightLead,
        Duration armLead,
        Duration stagingTotal,
        Boolean signedApprovals) {

    /** Whether only signed verdicts count here: a window then refuses the words sent to it directly. */
    public boolean signedOnly() {
        return Boolean.TRUE.equals(signedApprovals);
    }

    public boolean canApprove(String who) {
        return who != null && approvers.contains(who);
    }

    public boolean canSignOff(String who) {
        return who != null && signOffApprovers.contains(who);
    }

    /** Release managers and QA may stop a window. */
    public boolean canAbort(String who) {
        return canApprove(who) || canSignOff(who);
    }
}
