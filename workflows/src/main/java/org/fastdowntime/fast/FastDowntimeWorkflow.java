package org.fastdowntime.fast;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.fastdowntime.model.AbortSignal;
import org.fastdowntime.model.ApprovalAnswer;
import org.fastdowntime.model.FastDowntimeRequest;
import org.fastdowntime.model.FastDowntimeResult;
import org.fastdowntime.model.FastDowntimeStatus;
import org.fastdowntime.model.QaSignal;

/**
 * One fast-downtime window: QA gate → quiesce (T − 1 h) → preflight → gate closed → kick → apply
 * the approved cold patches in one transaction → gate open → post-checks → announce.
 */
@WorkflowInterface
public interface FastDowntimeWorkflow {
    String TYPE = "FastDowntime";

    /**
     * The window of {@code environment} at {@code start}: {@code fast-downtime-ENV-20261201T0830Z}.
     */
    static String workflowId(String environment, java.time.Instant start) {
        return "fast-downtime-" + environment + "-" + org.fastdowntime.time.Clock.compact(start);
    }

    /** A window without a start ("now"): {@code fast-downtime-ENV-now-SUFFIX}. */
    static String workflowIdNow(String environment, String suffix) {
        return "fast-downtime-" + environment + "-now-" + suffix;
    }

    @WorkflowMethod(name = TYPE)
    FastDowntimeResult run(FastDowntimeRequest request);

    /**
     * {@code {"patch":"2211-30-0","by":"alice","note":"…"}}, or {@code "patches":[…]} for several: a configured
     * approver's QA-ok (each patch judged on its own).
     */
    @SignalMethod(name = "qaOk")
    void qaOk(QaSignal signal);

    /**
     * qaOk answered: {@code {"patches":["2211-30-0","2211-31-0"],"by":"alice"}} (or one {@code "patch"}); returns
     * each patch's verdict. Refused before anything is recorded when one of them cannot be approved (not an
     * approver, not a candidate, its author, QA closed, a duplicate).
     */
    @UpdateMethod(name = "approve")
    ApprovalAnswer approve(QaSignal approval);

    @UpdateValidatorMethod(updateName = "approve")
    void validateApprove(QaSignal approval);

    /**
     * {@code {"patch":"2211-30-0","by":"alice","reason":"…"}}: the patch is left out of this window.
     */
    @SignalMethod(name = "qaBad")
    void qaBad(QaSignal signal);

    /**
     * {@code {"patch":"2211-30-0","by":"francis","note":"…"}}: a sign-off approver accepts an
     * over-budget patch.
     */
    @SignalMethod(name = "signOff")
    void signOff(QaSignal signal);

    /** {@code {"reason":"…","by":"…"}}: stop the window; during the outage, roll back and reopen. */
    @SignalMethod(name = "abort")
    void abort(AbortSignal signal);

    /**
     * The environment's approval ledger has new verdicts (sent by {@code approve --environment}): the window reads it
     * now rather than when QA closes. No payload.
     */
    @SignalMethod(name = "ledgerChanged")
    void ledgerChanged();

    @QueryMethod(name = "status")
    FastDowntimeStatus status();
}
