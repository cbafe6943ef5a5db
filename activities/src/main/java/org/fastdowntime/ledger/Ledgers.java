package org.fastdowntime.ledger;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import org.fastdowntime.approval.ApprovalLedgerWorkflow;
import org.fastdowntime.model.LedgerEntry;
import org.fastdowntime.model.LedgerRequest;
import org.fastdowntime.model.LedgerState;

/** An environment's approval ledger as a client reaches it: started on first use, then asked and told. */
public final class Ledgers {
    private Ledgers() {}

    /** The ledger of {@code environment}, started on {@code taskQueue} if it is not running. */
    public static ApprovalLedgerWorkflow ensure(WorkflowClient client, String environment, String taskQueue) {
        String id = ApprovalLedgerWorkflow.workflowId(environment);
        ApprovalLedgerWorkflow starting = client.newWorkflowStub(
                ApprovalLedgerWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(id)
                        .setTaskQueue(taskQueue)
                        .build());
        try {
            WorkflowClient.start(starting::run, LedgerState.empty(environment));
        } catch (WorkflowExecutionAlreadyStarted running) {
            // the usual case: it runs for as long as the environment exists
        }
        return client.newWorkflowStub(ApprovalLedgerWorkflow.class, id);
    }

    /**
     * Records {@code request}; a refusal is thrown as a {@link Refused} carrying the ledger's reasons (nothing was
     * recorded).
     */
    public static List<LedgerEntry> record(ApprovalLedgerWorkflow ledger, LedgerRequest request) {
        try {
            return ledger.record(request).recorded();
        } catch (WorkflowUpdateException e) {
            throw new Refused(reason(e));
        }
    }

    /** Why the ledger refused: its validator's or its handler's message. */
    static String reason(WorkflowUpdateException e) {
        Throwable c = e.getCause();
        return c instanceof ApplicationFailure af
                ? af.getOriginalMessage()
                : c == null ? e.getMessage() : c.getMessage();
    }

    /** The ledger refused a request; nothing of it was recorded. */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Refused(String reason) {
            super(reason);
        }
    }
}
