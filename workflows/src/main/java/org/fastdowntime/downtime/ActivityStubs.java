package org.fastdowntime.downtime;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import org.fastdowntime.model.EnvironmentPolicy;
import org.fastdowntime.ports.ApprovalActivities;
import org.fastdowntime.ports.DatabaseActivities;
import org.fastdowntime.ports.OutageActivities;
import org.fastdowntime.ports.WindowActivities;

/** Activity options, declared once per kind of activity. */
public final class ActivityStubs {
    private ActivityStubs() {}

    /**
     * Short database and configuration calls: a few retries with backoff, then the window fails
     * clearly.
     */
    public static DatabaseActivities database() {
        return Workflow.newActivityStub(
                DatabaseActivities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofMinutes(2))
                        .setRetryOptions(RetryOptions.newBuilder()
                                .setInitialInterval(Duration.ofSeconds(1))
                                .setBackoffCoefficient(2)
                                .setMaximumInterval(Duration.ofSeconds(20))
                                .setMaximumAttempts(5)
                                .build())
                        .build());
    }

    /**
     * A fleet's survey and its members' preflights: the survey reads every member (it may take a while on a large
     * fleet), a few retries, then the window fails clearly.
     */
    public static org.fastdowntime.ports.FleetActivities fleet() {
        return Workflow.newActivityStub(
                org.fastdowntime.ports.FleetActivities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofMinutes(10))
                        .setRetryOptions(RetryOptions.newBuilder()
                                .setInitialInterval(Duration.ofSeconds(1))
                                .setBackoffCoefficient(2)
                                .setMaximumInterval(Duration.ofSeconds(20))
                                .setMaximumAttempts(3)
                                .build())
                        .build());
    }

    /**
     * The approval ledger's calls: short, a few retries; a refusal (type {@code APPROVAL_REFUSED}) is final.
     */
    public static ApprovalActivities approvals() {
        return Workflow.newActivityStub(
                ApprovalActivities.class,
                ActivityOptions.newBuilder()
                        // A ledger that does not answer must not hold a window's QA for long: it then counts the
                        // verdicts given to it alone, and says so.
                        .setStartToCloseTimeout(Duration.ofSeconds(30))
                        .setRetryOptions(RetryOptions.newBuilder()
                                .setInitialInterval(Duration.ofSeconds(1))
                                .setBackoffCoefficient(2)
                                .setMaximumAttempts(3)
                                .build())
                        .build());
    }

    /**
     * Staging timing and live patches may run long (an index build): generous timeout, heartbeats,
     * few retries.
     */
    public static DatabaseActivities longDatabase() {
        return Workflow.newActivityStub(
                DatabaseActivities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofHours(2))
                        .setRetryOptions(RetryOptions.newBuilder()
                                .setInitialInterval(Duration.ofSeconds(5))
                                .setMaximumAttempts(3)
                                .build())
                        .build());
    }

    /**
     * A LIVE patch: it may run long (an index build), so a generous timeout, but heartbeats, so a worker that dies
     * is noticed after the environment's heartbeat timeout, not hours later; and one attempt, because a LIVE patch
     * stopped half-way is not run again blindly: it stays pending, said on the timeline.
     */
    public static DatabaseActivities livePatch(EnvironmentPolicy policy) {
        return Workflow.newActivityStub(
                DatabaseActivities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofHours(2))
                        .setHeartbeatTimeout(policy.heartbeatTimeout())
                        .setRetryOptions(
                                RetryOptions.newBuilder().setMaximumAttempts(1).build())
                        .build());
    }

    /**
     * The outage: one attempt (a failed outage ends the window, its compensation reopens the gate), a
     * short heartbeat timeout so a dead worker is noticed in seconds, and cancellation that waits for
     * the activity to roll back before the workflow moves on.
     *
     * @param timeLimit the outage's own limit (a monthly window's plan), or null for the environment's
     *     outage budget; the activity may run five minutes more (connecting, checking, reopening)
     */
    public static OutageActivities outage(EnvironmentPolicy policy, Duration timeLimit) {
        Duration limit = timeLimit != null ? timeLimit : policy.outageBudget();
        return Workflow.newActivityStub(
                OutageActivities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(limit.plus(Duration.ofMinutes(5)))
                        .setHeartbeatTimeout(policy.heartbeatTimeout())
                        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                        .setRetryOptions(
                                RetryOptions.newBuilder().setMaximumAttempts(1).build())
                        .build());
    }

    /** Reopening the gate: retried without limit, quickly, until it works. */
    public static OutageActivities reopen() {
        return Workflow.newActivityStub(
                OutageActivities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofSeconds(30))
                        .setRetryOptions(RetryOptions.newBuilder()
                                .setInitialInterval(Duration.ofMillis(500))
                                .setBackoffCoefficient(1.5)
                                .setMaximumInterval(Duration.ofSeconds(5))
                                .setMaximumAttempts(0)
                                .build())
                        .build());
    }

    /**
     * Carrying out a fleet's decision on a member (COMMIT or ROLLBACK PREPARED, the gate opened): retried without
     * limit until it works, and a worker that dies in it is replaced within seconds (a short start-to-close timeout:
     * the call is a few statements), since the member's gate stays closed until it is done.
     */
    public static OutageActivities finishPrepared() {
        return Workflow.newActivityStub(
                OutageActivities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofSeconds(10))
                        .setRetryOptions(RetryOptions.newBuilder()
                                .setInitialInterval(Duration.ofMillis(500))
                                .setBackoffCoefficient(1.5)
                                .setMaximumInterval(Duration.ofSeconds(5))
                                .setMaximumAttempts(0)
                                .build())
                        .build());
    }

    /**
     * The monthly process's repository, RC, CI and qastaging calls: a merge or a qastaging upgrade
     * may take a while.
     */
    public static org.fastdowntime.ports.MonthlyActivities monthly() {
        return Workflow.newActivityStub(
                org.fastdowntime.ports.MonthlyActivities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofMinutes(30))
                        .setRetryOptions(RetryOptions.newBuilder()
                                .setInitialInterval(Duration.ofSeconds(2))
                                .setMaximumInterval(Duration.ofMinutes(1))
                                .setMaximumAttempts(5)
                                .build())
                        .build());
    }

    /**
     * People and services: announcements, hooks, checks. Retried a few times; never part of the
     * outage.
     */
    public static WindowActivities window() {
        return Workflow.newActivityStub(
                WindowActivities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofMinutes(2))
                        // They heartbeat every second: a dead worker's step is retried elsewhere after 10 s,
                        // not 2 min.
                        .setHeartbeatTimeout(Duration.ofSeconds(10))
                        .setRetryOptions(RetryOptions.newBuilder()
                                .setInitialInterval(Duration.ofSeconds(1))
                                .setMaximumInterval(Duration.ofSeconds(30))
                                .setMaximumAttempts(5)
                                .build())
                        .build());
    }
}
