package org.fastdowntime.worker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.Activity;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.fastdowntime.model.MonthlyDowntimeRequest;
import org.fastdowntime.model.MonthlySignals;
import org.fastdowntime.model.MonthlyStatus;
import org.fastdowntime.model.OutageReport;
import org.fastdowntime.model.OutageRequest;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.monthly.MonthlyDowntimeWorkflow;
import org.fastdowntime.ports.OutageActivities;
import org.fastdowntime.release.RcState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The world of a MonthlyDowntime test on Temporal's time-skipping test service: a month in seconds, over a real
 * repository and databases ({@link MonthlyFixture}), with the steps that drive a month to its window. Each
 * concern's tests extend it.
 */
abstract class MonthlyWorld {
    @TempDir
    Path dir;

    MonthlyFixture f;

    @BeforeEach
    void world() throws Exception {
        f = new MonthlyFixture(dir);
    }

    @AfterEach
    void cleanUp() throws Exception {
        f.close();
    }

    MonthlyDowntimeWorkflow start(String id, Instant main, Instant backup) {
        MonthlyDowntimeWorkflow wf = f.env.getWorkflowClient()
                .newWorkflowStub(
                        MonthlyDowntimeWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setTaskQueue(MonthlyFixture.QUEUE)
                                .setWorkflowId(id)
                                .build());
        WorkflowClient.start(
                wf::run,
                new MonthlyDowntimeRequest(
                        "prod",
                        main.toString(),
                        backup.toString(),
                        null,
                        null,
                        List.of("librarian-timeout-hotfix", "codehosting-cowboy")));
        return f.env.getWorkflowClient().newWorkflowStub(MonthlyDowntimeWorkflow.class, id);
    }

    /** Waits (in real time: activities run for real) until the status satisfies {@code what}. */
    MonthlyStatus until(MonthlyDowntimeWorkflow wf, String what, Predicate<MonthlyStatus> test) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            MonthlyStatus s = wf.status();
            if (test.test(s)) {
                return s;
            }
            assertTrue(
                    System.nanoTime() < deadline,
                    "never reached " + what + "; stage " + s.stage() + ", timeline " + s.timeline());
            Thread.sleep(50);
        }
    }

    MonthlyStatus stage(MonthlyDowntimeWorkflow wf, String stage) throws Exception {
        return until(wf, stage, s -> s.stage().name().equals(stage));
    }

    void confirmAll(MonthlyDowntimeWorkflow wf) {
        wf.confirmWindow(new MonthlySignals.Window("stakeholders", "sam", null, null));
        wf.confirmWindow(new MonthlySignals.Window("operations", "olga", null, null));
        wf.confirmWindow(new MonthlySignals.Window("dba", "stuart", null, null));
    }

    void sleepUntil(Instant t) {
        Duration d = Duration.between(f.now(), t);
        if (!d.isNegative()) {
            f.env.sleep(d);
        }
    }

    RcState rc() throws Exception {
        return RcState.read(f.git.gitDir().resolve(RcState.FILE), "devel");
    }

    /** Confirmations, QA-oks for r1 and r4 (not r3), the merge, CI and qastaging: up to SCHEDULED. */
    MonthlyStatus driveToScheduled(MonthlyDowntimeWorkflow wf, Instant main) throws Exception {
        confirmAll(wf);
        wf.qaOk(new MonthlySignals.Revision(f.revision.get("r1").substring(0, 10), "alice", "ok on qastaging"));
        wf.qaOk(new MonthlySignals.Revision(f.revision.get("r4"), "alice", null));
        stage(wf, "WAITING_FOR_MERGE");
        sleepUntil(main.minus(Duration.ofHours(48)).plusSeconds(1));
        MonthlyStatus rcMode = stage(wf, "AWAITING_CI");
        assertTrue(rcMode.rcMode());
        wf.ciBlessed(new MonthlySignals.Revision(rcMode.mergedRevision(), "francis", null));
        stage(wf, "AWAITING_QASTAGING");
        wf.qastagingOk(new MonthlySignals.By("alice", "re-QA done"));
        return stage(wf, "SCHEDULED");
    }

    /**
     * An outage that never finishes the first time (until cancelled) and succeeds the second time.
     */
    static final class StuckThenFineOutage implements OutageActivities {
        @Override
        public org.fastdowntime.model.PreparedEnd finishPrepared(String env, String deploymentId, boolean commit) {
            throw new UnsupportedOperationException("monthly windows prepare nothing");
        }

        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger reopened = new AtomicInteger();

        @Override
        public OutageReport outage(OutageRequest request) {
            if (calls.incrementAndGet() == 1) {
                while (true) {
                    Activity.getExecutionContext().heartbeat("stuck on a lock");
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        throw Activity.wrap(e);
                    }
                }
            }
            Instant now = Instant.now();
            return new OutageReport(
                    "native",
                    now,
                    now.plusMillis(120),
                    120,
                    0.05,
                    List.of(),
                    0,
                    0,
                    List.of(),
                    Map.of(),
                    Map.of(),
                    null,
                    List.of());
        }

        @Override
        public void reopenGate(String environment, String deploymentId) {
            reopened.incrementAndGet();
        }
    }

    /**
     * An outage that committed and then could not open its gate (the activity says so and attaches its report):
     * the window says the patches are applied, never "rolled back", and keeps the outage's own timeline.
     */
    static final class CommittedThenGateFailedOutage implements OutageActivities {
        @Override
        public org.fastdowntime.model.PreparedEnd finishPrepared(String env, String deploymentId, boolean commit) {
            throw new UnsupportedOperationException("monthly windows prepare nothing");
        }

        final AtomicInteger reopened = new AtomicInteger();

        @Override
        public OutageReport outage(OutageRequest request) {
            Instant now = Instant.now();
            OutageReport report = new OutageReport(
                    "pgbouncer",
                    now,
                    null,
                    0,
                    0.05,
                    List.of(new org.fastdowntime.model.AppliedPatch(
                            PatchId.parse("2300-02-0"), org.fastdowntime.model.PatchKind.COLD, "x", 0.05)),
                    3,
                    1,
                    List.of(new org.fastdowntime.model.TimelineEvent(
                            now,
                            "OUTAGE",
                            "Applied and committed, then: RESUME refused.",
                            org.fastdowntime.model.EventCode.OUTAGE_FAILED)),
                    Map.of(),
                    Map.of(),
                    null,
                    List.of());
            throw io.temporal.failure.ApplicationFailure.newNonRetryableFailureWithCause(
                    "applied and committed (2300-02-0), then: RESUME refused",
                    org.fastdowntime.model.FailureType.GATE_FAILED.name(),
                    null,
                    report);
        }

        @Override
        public void reopenGate(String environment, String deploymentId) {
            reopened.incrementAndGet();
        }
    }

    /**
     * A monthly driven to SCHEDULED (2300-02-0 merged), then a cold patch, 2300-06-0, landed on devel in RC mode:
     * not the merge's, approved by nobody.
     */
    MonthlyDowntimeWorkflow scheduledWithALateLanding(String id) throws Exception {
        f.start(null);
        Instant main = f.now().plus(Duration.ofDays(10));
        MonthlyDowntimeWorkflow wf = start(id, main, main.plus(Duration.ofDays(2)));
        driveToScheduled(wf, main);
        Files.writeString(
                f.repo.resolve("database/schema/patch-2300-06-0.sql"),
                "CREATE TABLE landed_late (id integer);\nINSERT INTO LaunchpadDatabaseRevision VALUES (2300, 6, 0);\n");
        f.commit("A patch landed in RC mode, after the merge.");
        return wf;
    }

    void record(String id) throws Exception {
        Histories.replayAndRecord(f.env.getWorkflowClient(), id);
    }
}
