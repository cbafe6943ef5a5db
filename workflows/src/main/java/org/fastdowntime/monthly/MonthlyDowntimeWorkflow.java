package org.fastdowntime.monthly;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.fastdowntime.model.AbortSignal;
import org.fastdowntime.model.MonthlyDowntimeRequest;
import org.fastdowntime.model.MonthlySignals;
import org.fastdowntime.model.MonthlyStatus;
import org.fastdowntime.model.SignedStatement;

/**
 * The monthly deployment with downtime: windows negotiated and confirmed, announcements and the
 * reminder, the QA-ok merge from db-stable 48 h before within the time budget, RC mode, CI
 * blessing, qastaging upgrade and re-QA, cowboys, the timed 90-minute window with abort to the
 * backup window, post-rollout checks and incidents.
 */
@WorkflowInterface
public interface MonthlyDowntimeWorkflow {
    String TYPE = "MonthlyDowntime";

    /** The downtime of {@code environment} whose main window is {@code main}. */
    static String workflowId(String environment, java.time.Instant main) {
        return "monthly-downtime-" + environment + "-" + org.fastdowntime.time.Clock.compact(main);
    }

    @WorkflowMethod(name = TYPE)
    MonthlyResult run(MonthlyDowntimeRequest request);

    @SignalMethod(name = "confirmWindow")
    void confirmWindow(MonthlySignals.Window signal);

    @SignalMethod(name = "proposeWindow")
    void proposeWindow(MonthlySignals.Window signal);

    @SignalMethod(name = "qaOk")
    void qaOk(MonthlySignals.Revision signal);

    /**
     * A QA-ok signed with the engineer's SSH key ({@code ./fastdowntime qa-revision ID --revision R --by NAME
     * --sign}): {@code {"statement":"fastdowntime revision qa-ok v1\n…","signature":"-----BEGIN SSH
     * SIGNATURE-----…"}}. The only QA-ok that counts where the environment counts only signed verdicts; refused with
     * the reason when the signature is not the signer's, the statement is stale, replayed or for another environment.
     */
    @UpdateMethod(name = "qaOkSigned")
    String qaOkSigned(SignedStatement signed);

    @UpdateValidatorMethod(updateName = "qaOkSigned")
    void validateQaOkSigned(SignedStatement signed);

    @SignalMethod(name = "ciBlessed")
    void ciBlessed(MonthlySignals.Revision signal);

    @SignalMethod(name = "approveLanding")
    void approveLanding(MonthlySignals.Landing signal);

    @SignalMethod(name = "qastagingOk")
    void qastagingOk(MonthlySignals.By signal);

    @SignalMethod(name = "cowboy")
    void cowboy(MonthlySignals.Cowboy signal);

    /**
     * A lead backs a db-stable revision out ("if the qa-ok of a patch merged to devel was faulty … the
     * entire thing should just be backed out"): before the merge it is left out of it; after, it and
     * every revision merged after it are reverted in devel and the plan is made again. Refused once
     * the window is under way.
     */
    @SignalMethod(name = "backOut")
    void backOut(MonthlySignals.BackOut signal);

    @SignalMethod(name = "abort")
    void abort(AbortSignal signal);

    @SignalMethod(name = "reportIssue")
    void reportIssue(MonthlySignals.Issue signal);

    @QueryMethod(name = "status")
    MonthlyStatus status();

    /** How a monthly downtime ended when it did not fail. */
    record MonthlyResult(
            org.fastdowntime.model.Outcome outcome,
            String message,
            String mergedRevision,
            java.util.List<String> applied,
            long outageMillis,
            int incidents) {}
}
