package org.fastdowntime.cli;

import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.model.FastDowntimeResult;

/**
 * How a FastDowntime ended: "COMPLETED"/"SKIPPED" or its failure type, with the message appended to
 * {@code message}.
 */
final class WindowOutcome {
    private WindowOutcome() {}

    static String of(FastDowntimeWorkflow w, StringBuilder message) {
        try {
            FastDowntimeResult r = WorkflowStub.fromTyped(w).getResult(90, TimeUnit.SECONDS, FastDowntimeResult.class);
            message.append(r.message());
            return r.outcome().name();
        } catch (WorkflowFailedException e) {
            ApplicationFailure f = (ApplicationFailure) e.getCause();
            message.append(f.getOriginalMessage());
            return f.getType();
        } catch (TimeoutException e) {
            throw new AssertionError("the workflow did not end in 90 s", e);
        }
    }
}
