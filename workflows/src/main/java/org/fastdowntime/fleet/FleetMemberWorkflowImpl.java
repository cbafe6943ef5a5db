package org.fastdowntime.fleet;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.util.List;
import org.fastdowntime.downtime.ActivityStubs;
import org.fastdowntime.downtime.WindowFailures;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.MemberOutcome;
import org.fastdowntime.model.MemberOutcome.MemberState;
import org.fastdowntime.model.OutageReport;
import org.fastdowntime.model.OutageRequest;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.ports.OutageActivities;
import org.slf4j.Logger;

/** A member's outage: the activity, and its compensation registered for every way out of it. */
public class FleetMemberWorkflowImpl implements FleetMemberWorkflow {
    private static final Logger log = Workflow.getLogger(FleetMemberWorkflowImpl.class);

    @Override
    public MemberOutcome run(Request r) {
        OutageActivities outage = ActivityStubs.outage(r.policy(), null);
        OutageRequest request =
                new OutageRequest(r.environment(), r.deploymentId(), r.patches(), null, null, r.bundle(), r.prepare());
        try {
            OutageReport report = outage.outage(request);
            if (report.gateClosedAt() == null) {
                return MemberOutcome.of(r.member(), MemberState.NOTHING_TO_APPLY);
            }
            var applied = report.applied().stream().map(a -> a.id()).toList();
            return r.prepare()
                    ? new MemberOutcome(
                            r.member(),
                            MemberState.PREPARED,
                            report.outageMillis(),
                            report.outageMillis(),
                            report.gateClosedAt(),
                            applied,
                            null,
                            null)
                    : new MemberOutcome(
                            r.member(),
                            MemberState.COMMITTED,
                            report.outageMillis(),
                            0,
                            report.gateClosedAt(),
                            applied,
                            null,
                            null);
        } catch (ActivityFailure | CanceledFailure e) {
            return afterFailure(r, e);
        } catch (ApplicationFailure e) {
            compensate(r);
            throw e;
        }
    }

    /**
     * Whatever the outage did before it failed, was stopped or lost its worker: its gate opens again, and a
     * transaction it may have prepared is rolled back. Then the database says whether it committed (an abort can
     * reach an outage after its COMMIT): the member's outcome is what its database holds.
     */
    private static MemberOutcome afterFailure(Request r, RuntimeException e) {
        compensate(r);
        List<PatchId> committed = committedBy(r);
        WindowFailures.Reason why = WindowFailures.of(e);
        if (!committed.isEmpty()) {
            log.warn("Outage of {} ended with {} after it committed {}", r.member(), why.type(), committed);
            return new MemberOutcome(
                    r.member(),
                    MemberState.COMMITTED,
                    0,
                    0,
                    null,
                    committed,
                    null,
                    "committed before " + (e instanceof CanceledFailure ? "the abort" : why.type()) + " reached it");
        }
        log.warn("Outage of {} failed: {}", r.member(), why.message());
        return e instanceof CanceledFailure || FailureType.CANCELLED.name().equals(why.type())
                ? MemberOutcome.of(r.member(), MemberState.FAILED)
                        .failed(FailureType.ABORTED.name(), "stopped while its outage ran; rolled back, gate reopened")
                : MemberOutcome.of(r.member(), MemberState.FAILED).failed(why.type(), why.message());
    }

    /** What the member's database recorded for this deployment (asked in a detached scope: after an abort too). */
    private static List<PatchId> committedBy(Request r) {
        List<List<PatchId>> out = new java.util.ArrayList<>();
        Workflow.newDetachedCancellationScope(
                        () -> out.add(ActivityStubs.database().appliedBy(r.environment(), r.deploymentId())))
                .run();
        return out.get(0);
    }

    private static void compensate(Request r) {
        Workflow.newDetachedCancellationScope(() -> {
                    OutageActivities reopen = ActivityStubs.reopen();
                    if (r.prepare()) {
                        ActivityStubs.finishPrepared().finishPrepared(r.environment(), r.deploymentId(), false);
                    } else {
                        reopen.reopenGate(r.environment(), r.deploymentId());
                    }
                })
                .run();
    }
}
