package org.fastdowntime.approval;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.fastdowntime.model.LedgerAnswer;
import org.fastdowntime.model.LedgerRequest;
import org.fastdowntime.model.LedgerState;
import org.fastdowntime.model.LedgerView;

/**
 * An environment's approval ledger: every verdict on its patches (QA-ok, QA-bad, sign-off, revocation), by patch and
 * SHA-256, with who, when, a note and, when signed, the statement and signature. Windows read it; people record in it
 * with {@code ./fastdowntime approve --environment ENV}. It runs for as long as the environment exists, continuing as
 * new to stay small.
 */
@WorkflowInterface
public interface ApprovalLedgerWorkflow {
    String TYPE = "ApprovalLedger";

    /** {@code approvals-ENV}. */
    static String workflowId(String environment) {
        return "approvals-" + environment;
    }

    /** @param state what an earlier run held, or {@link LedgerState#empty} */
    @WorkflowMethod(name = TYPE)
    void run(LedgerState state);

    /**
     * Records a verdict on one or more patches, all or nothing: refused with every reason when one of them cannot be
     * recorded (not pending, not an approver, the author, a stale or wrong checksum, a signature that does not
     * verify, is not fresh or was used before). Returns the entries recorded.
     */
    @UpdateMethod(name = "record")
    LedgerAnswer record(LedgerRequest request);

    @UpdateValidatorMethod(updateName = "record")
    void validateRecord(LedgerRequest request);

    /**
     * The same request as a signal, for the Web UI's signal form ({@code approve --sign --print-json} prints it): it
     * is recorded or refused as the update is; a refusal is kept for {@link #show} ({@code refused}).
     */
    @SignalMethod(name = "give")
    void give(LedgerRequest request);

    @QueryMethod(name = "show")
    LedgerView show();
}
