package org.fastdowntime.approval;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import io.temporal.workflow.WorkflowLock;
import java.time.Duration;
import java.util.List;
import org.fastdowntime.downtime.WindowFailures;
import org.fastdowntime.model.ApprovalCheck;
import org.fastdowntime.model.LedgerAnswer;
import org.fastdowntime.model.LedgerEntry;
import org.fastdowntime.model.LedgerRequest;
import org.fastdowntime.model.LedgerState;
import org.fastdowntime.model.LedgerView;
import org.fastdowntime.ports.ApprovalActivities;
import org.fastdowntime.time.Clock;
import org.slf4j.Logger;

/**
 * The Temporal shell of an approval ledger: one request at a time is checked by the worker and judged by {@link
 * Ledger}; the run continues as new when its history grows, carrying the ledger.
 */
public class ApprovalLedgerWorkflowImpl implements ApprovalLedgerWorkflow {
    /** The failure type of a refused request. */
    public static final String REFUSED = "APPROVAL_REFUSED";

    /** A run continues as new past this many history events (each request is about ten). */
    static final int MOST_EVENTS = 2000;

    /** How often expired verdicts and nonces are dropped. */
    static final Duration PRUNE_EVERY = Duration.ofDays(1);

    private static final Logger log = Workflow.getLogger(ApprovalLedgerWorkflowImpl.class);

    private final ApprovalActivities worker = Workflow.newActivityStub(
            ApprovalActivities.class,
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(30))
                    .setRetryOptions(
                            RetryOptions.newBuilder().setMaximumAttempts(3).build())
                    .build());
    private final Ledger ledger;
    private final WorkflowLock oneAtATime = Workflow.newWorkflowLock();
    private final List<LedgerRequest> given = new java.util.ArrayList<>();

    @WorkflowInit
    public ApprovalLedgerWorkflowImpl(LedgerState state) {
        String id = Workflow.getInfo().getWorkflowId();
        this.ledger = new Ledger(state != null ? state : LedgerState.empty(id.substring(id.indexOf('-') + 1)));
    }

    @Override
    public void run(LedgerState state) {
        // Once a day what is no longer kept goes; requests given by signal are recorded in turn; the run continues
        // as new when its history grows.
        while (true) {
            if (!Workflow.await(PRUNE_EVERY, () -> full() || !given.isEmpty())) {
                ledger.prune(Clock.now());
            } else if (!given.isEmpty()) {
                LedgerRequest r = given.remove(0);
                try {
                    record(r);
                } catch (io.temporal.failure.TemporalFailure refusal) {
                    ledger.refused(Clock.now(), r, refusal.getOriginalMessage());
                }
            } else {
                break;
            }
        }
        Workflow.await(Workflow::isEveryHandlerFinished);
        log.info("The approval ledger of {} continues as new.", ledger.environment());
        Workflow.continueAsNew(ledger.next(Clock.now()));
    }

    @Override
    public LedgerAnswer record(LedgerRequest request) {
        oneAtATime.lock();
        try {
            ApprovalCheck check = worker.check(ledger.environment(), request);
            List<LedgerEntry> recorded = ledger.record(request, check, Clock.now());
            recorded.forEach(e -> log.info(
                    "Ledger of {}: {} {} ({}) by {}{}.",
                    ledger.environment(),
                    e.word().wire(),
                    e.patch(),
                    e.sha256().substring(0, 12),
                    e.by(),
                    e.signed() ? ", signed" : ""));
            return new LedgerAnswer(recorded);
        } catch (Ledger.Refused e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), REFUSED, e.reasons());
        } catch (io.temporal.failure.ActivityFailure e) {
            // The worker could not check it (an invalid patch set, unreadable allowed signers): said in its words.
            throw ApplicationFailure.newNonRetryableFailure(
                    "the worker could not check it: " + WindowFailures.of(e).message(), REFUSED);
        } finally {
            oneAtATime.unlock();
        }
    }

    private static boolean full() {
        return Workflow.getInfo().getHistoryLength() > MOST_EVENTS
                || Workflow.getInfo().isContinueAsNewSuggested();
    }

    @Override
    public void give(LedgerRequest request) {
        given.add(request);
    }

    @Override
    public void validateRecord(LedgerRequest request) {
        List<String> problems = ledger.precheck(request, Clock.now());
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    @Override
    public LedgerView show() {
        return ledger.view();
    }
}
