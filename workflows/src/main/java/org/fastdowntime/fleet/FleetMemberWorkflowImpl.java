package org.fastdowntime.fleet;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import org.fastdowntime.downtime.ActivityStubs;
import org.fastdowntime.downtime.WindowFailures;
import org.fastdowntime.model.MemberOutcome;
import org.fastdowntime.model.MemberOutcome.MemberState;
import org.fastdowntime.model.OutageReport;
import org.fastdowntime.model.OutageRequest;
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
        } catch (ActivityFailure e) {
            // Whatever the outage did before it failed (or its worker died): its gate opens again, and a transaction
            // it may have prepared is rolled back, before the fleet hears of it.
            compensate(r);
            WindowFailures.Reason why = WindowFailures.of(e);
            log.warn("Outage of {} failed: {}", r.member(), why.message());
            return MemberOutcome.of(r.member(), MemberState.FAILED).failed(why.type(), why.message());
        } catch (CanceledFailure e) {
            compensate(r);
            throw e;
        } catch (ApplicationFailure e) {
            compensate(r);
            throw e;
        }
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
