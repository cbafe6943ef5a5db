package org.fastdowntime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.Activity;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.WorkflowReplayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.model.AbortSignal;
import org.fastdowntime.model.Deployment;
import org.fastdowntime.model.MonthlyDowntimeRequest;
import org.fastdowntime.model.MonthlySignals;
import org.fastdowntime.model.MonthlyStatus;
import org.fastdowntime.model.OutageReport;
import org.fastdowntime.model.OutageRequest;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.RevisionStatus;
import org.fastdowntime.monthly.MonthlyDowntimeWorkflow;
import org.fastdowntime.monthly.MonthlyDowntimeWorkflowImpl;
import org.fastdowntime.patch.EngineSettings;
import org.fastdowntime.patch.PatchEngine;
import org.fastdowntime.patch.PatchFolder;
import org.fastdowntime.ports.OutageActivities;
import org.fastdowntime.release.MonthlySettings;
import org.fastdowntime.release.RcState;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MonthlyDowntime on Temporal's time-skipping test service: a month in seconds, over a real
 * repository and databases.
 */
class MonthlyDowntimeWorkflowTest {
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

    private MonthlyDowntimeWorkflow start(String id, Instant main, Instant backup) {
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
    private MonthlyStatus until(MonthlyDowntimeWorkflow wf, String what, Predicate<MonthlyStatus> test)
            throws Exception {
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

    private MonthlyStatus stage(MonthlyDowntimeWorkflow wf, String stage) throws Exception {
        return until(wf, stage, s -> s.stage().name().equals(stage));
    }

    private void confirmAll(MonthlyDowntimeWorkflow wf) {
        wf.confirmWindow(new MonthlySignals.Window("stakeholders", "sam", null, null));
        wf.confirmWindow(new MonthlySignals.Window("operations", "olga", null, null));
        wf.confirmWindow(new MonthlySignals.Window("dba", "stuart", null, null));
    }

    private void sleepUntil(Instant t) {
        Duration d = Duration.between(f.now(), t);
        if (!d.isNegative()) {
            f.env.sleep(d);
        }
    }

    private RcState rc() throws Exception {
        return RcState.read(f.git.gitDir().resolve(RcState.FILE), "devel");
    }

    /** Confirmations, QA-oks for r1 and r4 (not r3), the merge, CI and qastaging: up to SCHEDULED. */
    private MonthlyStatus driveToScheduled(MonthlyDowntimeWorkflow wf, Instant main) throws Exception {
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

    @Test
    void happyPathMergesTheQaOkPrefixAndRollsItOut() throws Exception {
        f.start(null);
        Instant main = f.now().plus(Duration.ofDays(10));
        MonthlyDowntimeWorkflow wf = start("monthly-happy", main, main.plus(Duration.ofDays(2)));
        wf.confirmWindow(new MonthlySignals.Window("dba", "mallory", null, null));
        wf.cowboy(new MonthlySignals.Cowboy("librarian-timeout-hotfix", "francis", "landed"));
        confirmAll(wf);
        wf.qaOk(new MonthlySignals.Revision(f.revision.get("r1").substring(0, 10), "alice", "ok on qastaging"));
        wf.qaOk(new MonthlySignals.Revision(f.revision.get("r4"), "alice", null));
        stage(wf, "WAITING_FOR_MERGE");
        sleepUntil(main.minus(Duration.ofHours(48)).plusSeconds(1));

        MonthlyStatus rc = stage(wf, "AWAITING_CI");
        assertEquals(f.revision.get("r2"), rc.mergedRevision(), "r1 and the patch-less r2; r3 has no QA-ok");
        Map<String, RevisionStatus> byRev = new java.util.HashMap<>();
        rc.revisions().forEach(r -> byRev.put(r.revision().sha(), r));
        assertTrue(byRev.get(f.revision.get("r1")).merged());
        assertEquals("NOT_NEEDED", byRev.get(f.revision.get("r2")).qa());
        assertEquals("no QA-ok", byRev.get(f.revision.get("r3")).excludedBecause());
        assertTrue(byRev.get(f.revision.get("r4")).excludedBecause().contains("which has no QA-ok"));
        assertNotNull(rc.budget());
        assertTrue(rc.budget().estimateSeconds() >= 600, "2 x staging + 10 min");
        assertTrue(rc().rcMode());
        assertTrue(f.git.isAncestor(f.revision.get("r2"), "devel"));
        assertFalse(f.git.isAncestor(f.revision.get("r3"), "devel"));
        assertEquals(
                0, f.count(1, "SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 2"), "staging only timed");

        wf.approveLanding(new MonthlySignals.Landing("0123456789abcdef", "olga"));
        wf.approveLanding(new MonthlySignals.Landing("0123456789abcdef", "francis"));
        until(
                wf,
                "the landing approval",
                s -> s.timeline().stream().anyMatch(e -> e.message().contains("approved in RC mode")));
        assertTrue(rc().isApproved("0123456789abcdef0000"));
        wf.ciBlessed(new MonthlySignals.Revision(rc.mergedRevision(), "francis", null));
        stage(wf, "AWAITING_QASTAGING");
        assertEquals(
                1, f.count(2, "SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 2"), "qastaging upgraded");
        wf.qastagingOk(new MonthlySignals.By("alice", "re-QA done"));
        stage(wf, "SCHEDULED");
        assertFalse(rc().rcMode());
        until(
                wf,
                "the end of RC mode announced like its start",
                s -> s.timeline().stream()
                        .anyMatch(e -> e.message()
                                .startsWith("Announced (rc-mode-off): devel is out of RC mode for the monthly downtime"
                                        + " of prod: qastaging is re-QA'd; landings are open again.")));

        sleepUntil(main.minus(Duration.ofMinutes(10)));
        stage(wf, "SERVICES_PAUSED");
        sleepUntil(main.minus(Duration.ofSeconds(20)));
        until(
                wf,
                "preflight",
                s -> s.timeline().stream().anyMatch(e -> e.message().startsWith("Preflight passed")));
        sleepUntil(main);
        MonthlyStatus watching = stage(wf, "WATCHING");
        assertEquals(1, f.count(0, "SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 2"));
        assertEquals(0, f.count(0, "SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 4"));
        assertNotNull(watching.outage());
        wf.reportIssue(new MonthlySignals.Issue("bug pages slow after the rollout", "olga"));
        wf.reportIssue(new MonthlySignals.Issue("spam", "mallory"));

        MonthlyDowntimeWorkflow.MonthlyResult result =
                WorkflowStub.fromTyped(wf).getResult(MonthlyDowntimeWorkflow.MonthlyResult.class);
        assertEquals(org.fastdowntime.model.Outcome.COMPLETED, result.outcome());
        assertEquals(1, result.incidents());
        assertTrue(result.message().contains("codehosting-cowboy (outstanding)"), result.message());
        MonthlyStatus done = wf.status();
        assertEquals(org.fastdowntime.model.MonthlyStage.DONE, done.stage());
        assertEquals("landed", done.cowboys().get("librarian-timeout-hotfix"));
        assertTrue(done.incidents().get(0).contains("bug pages slow"));
        assertTrue(done.signals().stream()
                .anyMatch(s -> !s.accepted() && s.reason().equals("mallory does not speak for dba")));
        assertTrue(done.signals().stream()
                .anyMatch(s -> !s.accepted() && s.reason().equals("olga is not a lead")));
        assertTrue(done.timeline().stream().anyMatch(e -> e.message().startsWith("Outage complete")));
        WorkflowReplayer.replayWorkflowExecution(
                f.env.getWorkflowClient().fetchHistory("monthly-happy"), MonthlyDowntimeWorkflowImpl.class);
        record("monthly-happy");
    }

    @Test
    void aQaOkFromTheRevisionsOwnAuthorDoesNotCount() throws Exception {
        EnvironmentSettings p = f.environments.get("prod");
        // "dev" is an approver here, and git says Dev Eloper <dev@example.com> wrote every db-stable
        // revision.
        f.environments.put(
                "prod",
                EnvironmentSettings.builder(p.name(), p.jdbcUrl())
                        .user(p.user())
                        .password(p.password())
                        .patches(p.patches())
                        .revisionTable(p.revisionTable())
                        .maintenanceDatabase(p.maintenanceDatabase())
                        .staging(p.staging())
                        .approvers(List.of("alice", "dev"))
                        .signOffApprovers(p.signOffApprovers())
                        .systemUsers(p.systemUsers())
                        .fragileUsers(p.fragileUsers())
                        .badUsers(p.badUsers())
                        .quiesce(p.quiesce())
                        .resume(p.resume())
                        .checkUrls(p.checkUrls())
                        .checkSql(p.checkSql())
                        .budgets(p.budgets())
                        .build());
        f.start(null);
        Instant main = f.now().plus(Duration.ofDays(10));
        MonthlyDowntimeWorkflow wf = start("monthly-self-qa", main, main.plus(Duration.ofDays(2)));
        confirmAll(wf);
        wf.qaOk(new MonthlySignals.Revision(f.revision.get("r1"), "dev", "my own change looks fine"));
        stage(wf, "WAITING_FOR_MERGE");
        sleepUntil(main.minus(Duration.ofHours(48)).plusSeconds(1));
        MonthlyStatus s = until(
                wf,
                "the merge decision",
                x -> !x.revisions().isEmpty()
                        || !List.of("WAITING_FOR_MERGE", "MERGING")
                                .contains(x.stage().name()));
        assertTrue(
                s.timeline().stream()
                        .anyMatch(e -> e.message()
                                        .startsWith("dev wrote "
                                                + f.revision.get("r1").substring(0, 12))
                                && e.message().endsWith("their QA-ok does not count.")),
                s.timeline().toString());
        assertEquals(null, s.mergedRevision(), "nothing merged: r1's only QA-ok was its author's");
        record("monthly-self-qa");
    }

    @Test
    void aProposedWindowRestartsConfirmationAndStrangersAreRefused() throws Exception {
        f.start(null);
        Instant main = f.now().plus(Duration.ofDays(10));
        MonthlyDowntimeWorkflow wf = start("monthly-renegotiated", main, main.plus(Duration.ofDays(2)));
        wf.confirmWindow(new MonthlySignals.Window("stakeholders", "sam", null, null));
        Instant newMain = main.plus(Duration.ofDays(7));
        wf.proposeWindow(new MonthlySignals.Window("operations", "olga", "2001-01-01T00:00:00Z", newMain.toString()));
        wf.proposeWindow(new MonthlySignals.Window(
                "operations",
                "olga",
                newMain.toString(),
                newMain.plus(Duration.ofDays(2)).toString()));
        wf.confirmWindow(new MonthlySignals.Window("dba", "mallory", null, null));
        MonthlyStatus s = until(wf, "the new windows", x -> newMain.equals(x.main()));
        assertEquals(Map.of("operations", "olga"), s.confirmations());
        assertEquals(org.fastdowntime.model.MonthlyStage.CONFIRMING, s.stage());
        assertTrue(
                s.signals().stream().anyMatch(x -> !x.accepted() && x.reason().contains("less than 7 days")));
        wf.confirmWindow(new MonthlySignals.Window("stakeholders", "sam", null, null));
        wf.confirmWindow(new MonthlySignals.Window("dba", "stuart", null, null));
        stage(wf, "WAITING_FOR_MERGE");
        wf.abort(new AbortSignal("the release moved", "francis"));
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(wf).getResult(MonthlyDowntimeWorkflow.MonthlyResult.class));
        assertEquals(
                "ABORTED",
                assertInstanceOf(ApplicationFailure.class, e.getCause()).getType());
        assertFalse(rc().rcMode());
        record("monthly-renegotiated");
    }

    @Test
    void windowsTooCloseAreRefusedWithAReason() throws Exception {
        f.start(null);
        Instant main = f.now().plus(Duration.ofDays(3));
        MonthlyDowntimeWorkflow wf = start("monthly-too-close", main, main.plus(Duration.ofDays(2)));
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(wf).getResult(MonthlyDowntimeWorkflow.MonthlyResult.class));
        ApplicationFailure af = assertInstanceOf(ApplicationFailure.class, e.getCause());
        assertEquals("BAD_INPUT", af.getType());
        assertTrue(af.getOriginalMessage().contains("less than 7 days away"), af.getOriginalMessage());
    }

    @Test
    void revisionsOverTheBudgetAreDropped() throws Exception {
        f.git.run("checkout", "-q", "db-stable");
        Files.writeString(f.repo.resolve("database/schema/patch-2300-07-0.sql"), "SELECT pg_sleep(0.6);\n");
        String r5 = f.commit("A slow patch.");
        f.git.run("checkout", "-q", "devel");
        f.monthly = new MonthlySettings(
                f.monthly.repository(),
                "devel",
                "db-stable",
                "database/schema",
                null,
                "qastaging",
                f.monthly.parties(),
                f.monthly.leads(),
                null,
                null,
                MonthlySettings.Timing.defaults().withWindowLength(Duration.ofSeconds(1), Duration.ZERO));
        f.start(null);
        Instant main = f.now().plus(Duration.ofDays(10));
        MonthlyDowntimeWorkflow wf = start("monthly-budget", main, main.plus(Duration.ofDays(2)));
        confirmAll(wf);
        for (String r : List.of(f.revision.get("r1"), f.revision.get("r3"), f.revision.get("r4"), r5)) {
            wf.qaOk(new MonthlySignals.Revision(r, "alice", null));
        }
        stage(wf, "WAITING_FOR_MERGE");
        sleepUntil(main.minus(Duration.ofHours(48)).plusSeconds(1));
        MonthlyStatus s = stage(wf, "AWAITING_CI");
        assertEquals(f.revision.get("r4"), s.mergedRevision());
        assertEquals(List.of(r5), s.budget().dropped());
        assertTrue(s.budget().estimateSeconds() <= 1.0);
        RevisionStatus slow = s.revisions().stream()
                .filter(r -> r.revision().sha().equals(r5))
                .findFirst()
                .orElseThrow();
        assertTrue(slow.excludedBecause().startsWith("over budget"), slow.excludedBecause());
        wf.abort(new AbortSignal("test over", "francis"));
        assertThrows(
                WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(wf).getResult(MonthlyDowntimeWorkflow.MonthlyResult.class));
        assertFalse(rc().rcMode(), "an abort leaves RC mode");
    }

    /**
     * An outage that never finishes the first time (until cancelled) and succeeds the second time.
     */
    static final class StuckThenFineOutage implements OutageActivities {
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

    @Test
    void aFailureAfterCommitIsToldAsAppliedNeverAsRolledBack() throws Exception {
        CommittedThenGateFailedOutage outage = new CommittedThenGateFailedOutage();
        f.start(outage);
        Instant main = f.now().plus(Duration.ofDays(10));
        MonthlyDowntimeWorkflow wf = start("monthly-after-commit", main, main.plus(Duration.ofDays(2)));
        driveToScheduled(wf, main);
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(wf).getResult(MonthlyDowntimeWorkflow.MonthlyResult.class));
        ApplicationFailure af = assertInstanceOf(ApplicationFailure.class, e.getCause());
        assertEquals("GATE_FAILED", af.getType());
        assertTrue(
                af.getOriginalMessage().contains("applied and committed (2300-02-0)")
                        && !af.getOriginalMessage().contains("rolled back"),
                af.getOriginalMessage());
        assertTrue(outage.reopened.get() >= 1, "compensation reopened the gate");
        assertTrue(
                wf.status().timeline().stream()
                        .anyMatch(x -> x.message().equals("Applied and committed, then: RESUME refused.")),
                "the outage's own report is on the timeline: " + wf.status().timeline());
    }

    @Test
    void anOutageOffTrackIsAbortedAndMovedToTheBackupWindowWithNotice() throws Exception {
        f.monthly = new MonthlySettings(
                f.monthly.repository(),
                "devel",
                "db-stable",
                "database/schema",
                null,
                "qastaging",
                f.monthly.parties(),
                f.monthly.leads(),
                null,
                null,
                new MonthlySettings.Timing(
                        Duration.ofDays(7),
                        Duration.ofDays(5),
                        Duration.ofHours(4),
                        Duration.ofMinutes(30),
                        Duration.ofHours(48),
                        Duration.ofMinutes(90),
                        Duration.ZERO,
                        Duration.ofSeconds(3),
                        Duration.ofHours(24),
                        Duration.ofHours(24),
                        Duration.ofMinutes(1)));
        StuckThenFineOutage outage = new StuckThenFineOutage();
        f.start(outage);
        Instant main = f.now().plus(Duration.ofDays(10));
        Instant backup = main.plus(Duration.ofDays(2));
        MonthlyDowntimeWorkflow wf = start("monthly-offtrack", main, backup);
        driveToScheduled(wf, main);
        MonthlyDowntimeWorkflow.MonthlyResult result =
                WorkflowStub.fromTyped(wf).getResult(MonthlyDowntimeWorkflow.MonthlyResult.class);
        assertEquals(org.fastdowntime.model.Outcome.COMPLETED, result.outcome());
        assertEquals(2, outage.calls.get());
        assertTrue(outage.reopened.get() >= 1, "the gate was reopened by compensation");
        MonthlyStatus s = wf.status();
        assertEquals(backup, s.main());
        assertTrue(
                s.timeline().stream()
                        .anyMatch(e -> e.message().contains("rescheduled to the backup window: " + backup)),
                s.timeline().toString());
        assertTrue(
                s.timeline().stream().anyMatch(e -> e.message().contains("more than the allowed time past its plan")));
    }

    /**
     * Launchpad's monthly rules on a clock 120 times faster (window 45 s, estimate overhead 5 s,
     * off-track limit 15 s, statement timeout 2.5 s), and a patch that takes 0.2 s on staging and ten
     * minutes in production: the outage is stopped by the off-track rule, not by a timeout of the fast
     * window's, rolled back, the gate reopened, and the window moved to the backup.
     */
    @Test
    void aPatchRunningLongInProductionGoesOffTrackAndMovesToTheBackupWindow() throws Exception {
        f.git.run("checkout", "-q", "db-stable");
        Files.writeString(
                f.repo.resolve("database/schema/patch-2300-07-0.sql"),
                "SELECT pg_sleep(CASE WHEN current_database() ~ '_(sta|qas)$' THEN 0.2 ELSE 600 END);\n");
        String r5 = f.commit("Slow in production only.");
        f.git.run("checkout", "-q", "devel");
        double factor = 1 / 120.0;
        MonthlySettings.Timing timing = MonthlySettings.Timing.defaults().scaled(factor);
        f.monthly = new MonthlySettings(
                f.monthly.repository(),
                "devel",
                "db-stable",
                "database/schema",
                null,
                "qastaging",
                f.monthly.parties(),
                f.monthly.leads(),
                null,
                null,
                timing);
        EnvironmentSettings prod = f.environments.get("prod");
        org.fastdowntime.env.Budgets defaults = org.fastdowntime.env.Budgets.defaults();
        f.environments.put(
                "prod",
                prod.toBuilder()
                        .budgets(prod.budgets()
                                .withStatementTimeout(Duration.ofMillis(
                                        Math.round(defaults.statementTimeout().toMillis() * factor))))
                        .build());
        f.start(null);
        Instant main = f.now().plus(Duration.ofDays(10));
        Instant backup = main.plus(Duration.ofDays(2));
        MonthlyDowntimeWorkflow wf = start("monthly-slow-patch", main, backup);
        confirmAll(wf);
        for (String r : List.of("r1", "r3", "r4")) {
            wf.qaOk(new MonthlySignals.Revision(f.revision.get(r), "alice", null));
        }
        wf.qaOk(new MonthlySignals.Revision(r5, "alice", null));
        stage(wf, "WAITING_FOR_MERGE");
        sleepUntil(main.minus(timing.mergeLead()).plusSeconds(1));
        MonthlyStatus rc = stage(wf, "AWAITING_CI");
        assertEquals(r5, rc.mergedRevision());
        wf.ciBlessed(new MonthlySignals.Revision(rc.mergedRevision(), "francis", null));
        stage(wf, "AWAITING_QASTAGING");
        wf.qastagingOk(new MonthlySignals.By("alice", "re-QA done"));
        stage(wf, "SCHEDULED");
        sleepUntil(main);
        until(wf, "the patch running", x -> x.stage() == org.fastdowntime.model.MonthlyStage.OUTAGE);
        // Longer than the fast window's statement timeout (2.5 s here) in real time; then the plan's clock.
        Thread.sleep(4000);
        sleepUntil(main.plus(timing.estimateOverhead())
                .plus(timing.offTrackLimit())
                .plusSeconds(2));

        MonthlyStatus moved =
                until(wf, "the move to the backup window", x -> x.main().equals(backup));
        String timeline = moved.timeline().toString();
        assertTrue(
                moved.timeline().stream()
                        .anyMatch(e -> e.message().contains("rescheduled to the backup window: " + backup)),
                timeline);
        assertTrue(
                timeline.contains("the limit its plan allows")
                        || timeline.contains("more than the allowed time past its plan"),
                timeline);
        assertEquals(0, f.count(0, "SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 7"), "rolled back");
        assertEquals(
                0, f.count(0, "SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 2"), "in one transaction");
        assertEquals(
                1,
                f.count(0, "SELECT count(*) FROM pg_database WHERE datname = current_database() AND datallowconn"),
                "the gate is open again");
        WorkflowStub.fromTyped(wf).terminate("test over");
    }

    /**
     * A monthly driven to SCHEDULED (2300-02-0 merged), then a cold patch, 2300-06-0, landed on devel in RC mode:
     * not the merge's, approved by nobody.
     */
    private MonthlyDowntimeWorkflow scheduledWithALateLanding(String id) throws Exception {
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

    /**
     * A patch landing on devel after the merge (in RC mode) is not the merge's: the window deploys
     * exactly the merge's patches and leaves the newcomer pending.
     */
    @Test
    void theWindowDeploysExactlyTheMergeAndLeavesLaterLandingsPending() throws Exception {
        MonthlyDowntimeWorkflow wf = scheduledWithALateLanding("monthly-exact-merge");
        MonthlyDowntimeWorkflow.MonthlyResult result =
                WorkflowStub.fromTyped(wf).getResult(MonthlyDowntimeWorkflow.MonthlyResult.class);
        assertEquals(org.fastdowntime.model.Outcome.COMPLETED, result.outcome(), result.message());
        assertEquals(List.of("2300-02-0"), result.applied());
        assertEquals(1, f.count(0, "SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 2"));
        assertEquals(0, f.count(0, "SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 6"), "not merged");
        assertTrue(
                wf.status().timeline().stream()
                        .anyMatch(e -> e.message().startsWith("Left for a later downtime, not in the merge")
                                && e.message().endsWith(": 2300-06-0.")),
                wf.status().timeline().toString());
        record("monthly-exact-merge");
    }

    /**
     * A merge with nothing cold left to apply (its one cold patch went in by hand meanwhile) skips the outage:
     * before bundles were sealed, the empty list of the outage read as "every pending cold patch" and applied a
     * patch that landed after the merge, approved by nobody.
     */
    @Test
    void aMergeWithNothingColdToApplySkipsTheOutageAndAppliesNothingElse() throws Exception {
        MonthlyDowntimeWorkflow wf = scheduledWithALateLanding("monthly-nothing-cold");
        String url = TestDatabase.SERVER.replaceFirst("/postgres\\?", "/" + f.databases.get(0) + "?");
        try (Connection c = DriverManager.getConnection(url)) {
            new PatchEngine(EngineSettings.defaults())
                    .applyCold(
                            c,
                            PatchFolder.scan(f.repo.resolve("database/schema"), "LaunchpadDatabaseRevision", 15),
                            List.of(PatchId.parse("2300-02-0")),
                            new Deployment("by-hand", "dba", null, null));
        }
        MonthlyDowntimeWorkflow.MonthlyResult result =
                WorkflowStub.fromTyped(wf).getResult(MonthlyDowntimeWorkflow.MonthlyResult.class);
        assertEquals(org.fastdowntime.model.Outcome.NOTHING_TO_MERGE, result.outcome(), result.message());
        assertTrue(result.message().contains("no outage was needed"), result.message());
        assertEquals(0, f.count(0, "SELECT count(*) FROM pg_class WHERE relname = 'landed_late'"), "never approved");
        assertEquals(0, f.count(0, "SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 6"));
        assertTrue(
                wf.status().timeline().stream().noneMatch(e -> e.message().startsWith("Outage starts.")),
                wf.status().timeline().toString());
        record("monthly-nothing-cold");
    }

    /**
     * One window per environment at a time: a fast window of prod that waits for its QA holds the environment, so
     * the monthly's main window moves to its backup window, naming it; once the fast window is gone, the backup
     * window runs.
     */
    @Test
    void aMonthlyWindowMovesToItsBackupWhileAnotherWindowHoldsTheEnvironment() throws Exception {
        f.start(null);
        Instant main = f.now().plus(Duration.ofDays(10));
        Instant backup = main.plus(Duration.ofDays(2));
        Files.writeString(
                f.repo.resolve("database/schema/patch-2300-08-0.sql"),
                "CREATE TABLE held_for_qa (id integer);\nINSERT INTO LaunchpadDatabaseRevision VALUES (2300, 8, 0);\n");
        f.commit("A patch for a fast window, waiting for its QA.");
        org.fastdowntime.fast.FastDowntimeWorkflow fast = f.env.getWorkflowClient()
                .newWorkflowStub(
                        org.fastdowntime.fast.FastDowntimeWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setTaskQueue(MonthlyFixture.QUEUE)
                                .setWorkflowId("fast-holding-prod")
                                .build());
        io.temporal.client.WorkflowClient.start(
                fast::run,
                new org.fastdowntime.model.FastDowntimeRequest(
                        "prod", f.now().plus(Duration.ofDays(30)).toString(), List.of()));
        MonthlyDowntimeWorkflow wf = start("monthly-busy-environment", main, backup);
        driveToScheduled(wf, main);
        sleepUntil(main.plusSeconds(60));
        MonthlyStatus moved = wf.status();
        assertEquals(backup, moved.main(), moved.timeline().toString());
        assertTrue(
                moved.timeline().stream()
                        .anyMatch(e -> e.message().contains("another window of prod is running: fast-holding-prod")
                                && e.message().contains("rescheduled to the backup window")),
                moved.timeline().toString());
        assertEquals(0, f.count(0, "SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 2"), "nothing ran");

        WorkflowStub.fromTyped(fast).cancel();
        MonthlyDowntimeWorkflow.MonthlyResult result =
                WorkflowStub.fromTyped(wf).getResult(MonthlyDowntimeWorkflow.MonthlyResult.class);
        assertEquals(org.fastdowntime.model.Outcome.COMPLETED, result.outcome(), result.message());
        assertEquals(1, f.count(0, "SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 2"));
        record("monthly-busy-environment");
    }

    /** A merged patch edited on disk after the merge fails the window PATCH_CHANGED; nothing changes. */
    @Test
    void aMergedPatchChangedAfterTheMergeFailsTheWindowAndChangesNothing() throws Exception {
        f.start(null);
        Instant main = f.now().plus(Duration.ofDays(10));
        MonthlyDowntimeWorkflow wf = start("monthly-changed-patch", main, main.plus(Duration.ofDays(2)));
        driveToScheduled(wf, main);
        Path merged = f.repo.resolve("database/schema/patch-2300-02-0.sql");
        Files.writeString(merged, Files.readString(merged).replace("DEFAULT 0", "DEFAULT 1"));
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(wf).getResult(MonthlyDowntimeWorkflow.MonthlyResult.class));
        ApplicationFailure af = assertInstanceOf(ApplicationFailure.class, e.getCause());
        assertEquals("PATCH_CHANGED", af.getType());
        assertTrue(
                af.getOriginalMessage().contains("patch-2300-02-0.sql has sha256 ")
                        && af.getOriginalMessage().contains(" in the merge"),
                af.getOriginalMessage());
        assertEquals(0, f.count(0, "SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 2"));
        MonthlyStatus s = wf.status();
        assertEquals(org.fastdowntime.model.MonthlyStage.FAILED, s.stage());
        assertTrue(
                s.timeline().stream().anyMatch(x -> x.message().startsWith("the patch folder differs from the merge")),
                s.timeline().toString());
    }

    /** Cancelled in RC mode (from the UI, the CLI or its calendar): RC mode goes off, said and announced. */
    @Test
    void aCancelledMonthlyLeavesRcModeAndSaysSo() throws Exception {
        f.start(null);
        Instant main = f.now().plus(Duration.ofDays(10));
        MonthlyDowntimeWorkflow wf = start("monthly-cancel-rc", main, main.plus(Duration.ofDays(2)));
        confirmAll(wf);
        wf.qaOk(new MonthlySignals.Revision(f.revision.get("r1"), "alice", null));
        stage(wf, "WAITING_FOR_MERGE");
        sleepUntil(main.minus(Duration.ofHours(48)).plusSeconds(1));
        stage(wf, "AWAITING_CI");
        assertTrue(rc().rcMode());
        WorkflowStub.fromTyped(wf).cancel();
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(wf).getResult(MonthlyDowntimeWorkflow.MonthlyResult.class));
        assertInstanceOf(io.temporal.failure.CanceledFailure.class, e.getCause());
        assertFalse(rc().rcMode(), "RC mode is off again");
        MonthlyStatus s = wf.status();
        assertEquals(org.fastdowntime.model.MonthlyStage.CANCELLED, s.stage());
        assertFalse(s.rcMode());
        assertEquals("Cancelled at AWAITING_CI; RC mode is off again.", s.message());
        assertTrue(
                s.timeline().stream().anyMatch(x -> x.message().startsWith("Announced (cancelled)")),
                s.timeline().toString());
        assertTrue(
                s.timeline().stream()
                        .anyMatch(x -> x.message().startsWith("Announced (rc-mode-off)")
                                && x.message().contains(": the downtime was cancelled;")),
                s.timeline().toString());
        record("monthly-cancel-rc");
    }

    /** Cancelled while services are paused before the window: they resume. */
    @Test
    void aMonthlyCancelledWithServicesPausedResumesThem() throws Exception {
        f.start(null);
        Instant main = f.now().plus(Duration.ofDays(10));
        MonthlyDowntimeWorkflow wf = start("monthly-cancel-paused", main, main.plus(Duration.ofDays(2)));
        driveToScheduled(wf, main);
        sleepUntil(main.minus(Duration.ofMinutes(10)));
        stage(wf, "SERVICES_PAUSED");
        WorkflowStub.fromTyped(wf).cancel();
        assertThrows(
                WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(wf).getResult(MonthlyDowntimeWorkflow.MonthlyResult.class));
        MonthlyStatus s = wf.status();
        assertEquals(org.fastdowntime.model.MonthlyStage.CANCELLED, s.stage());
        assertTrue(s.message().startsWith("Cancelled at SERVICES_PAUSED; services were resumed."), s.message());
        long resumes = s.timeline().stream()
                .filter(x -> x.message().contains("resume hook"))
                .count();
        assertEquals(1, resumes, "the resume hooks ran once: " + s.timeline());
        assertEquals(0, f.count(0, "SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 2"));
    }

    /**
     * A faulty QA-ok found after the merge: a lead backs r3 out, so r3 and r4 (merged after it) are
     * reverted in devel by one release-critical commit, the plan is made again, CI blesses the new
     * head, and the window deploys only r1's patch. After the window a back-out is refused.
     */
    @Test
    void aLeadBacksOutAMergedRevisionAndTheWindowDeploysWhatIsLeft() throws Exception {
        f.start(null);
        Instant main = f.now().plus(Duration.ofDays(10));
        MonthlyDowntimeWorkflow wf = start("monthly-back-out", main, main.plus(Duration.ofDays(2)));
        confirmAll(wf);
        for (String r : List.of("r1", "r3", "r4")) {
            wf.qaOk(new MonthlySignals.Revision(f.revision.get(r), "alice", null));
        }
        stage(wf, "WAITING_FOR_MERGE");
        sleepUntil(main.minus(Duration.ofHours(48)).plusSeconds(1));
        MonthlyStatus rc = stage(wf, "AWAITING_CI");
        assertEquals(f.revision.get("r4"), rc.mergedRevision());
        String r3 = f.revision.get("r3");
        wf.backOut(new MonthlySignals.BackOut(r3.substring(0, 10), "olga", "qa-ok was wrong"));
        wf.backOut(new MonthlySignals.BackOut(r3.substring(0, 10), "francis", null));
        wf.backOut(new MonthlySignals.BackOut(r3.substring(0, 10), "francis", "2300-04-0 breaks person names"));
        MonthlyStatus s = until(wf, "the back-out", x -> f.revision.get("r2").equals(x.mergedRevision()));
        assertTrue(
                s.signals().stream().anyMatch(x -> !x.accepted() && x.reason().equals("olga is not a lead")),
                s.signals().toString());
        assertTrue(
                s.signals().stream().anyMatch(x -> !x.accepted() && x.reason().contains("\"reason\"")));
        String head = f.git.resolve("devel");
        String subject = f.git.run("log", "-1", "--format=%s", head).strip();
        assertTrue(
                subject.startsWith("[release-critical=backed out by francis: 2300-04-0 breaks person names] Back out"
                        + " db-stable " + r3.substring(0, 12) + ".."),
                subject);
        assertFalse(Files.exists(f.repo.resolve("database/schema/patch-2300-04-0.sql")), "reverted in devel");
        assertFalse(Files.exists(f.repo.resolve("database/schema/patch-2300-05-0.sql")), "merged after it");
        assertTrue(Files.exists(f.repo.resolve("database/schema/patch-2300-02-0.sql")), "r1 stays");
        Map<String, RevisionStatus> byRev = new java.util.HashMap<>();
        s.revisions().forEach(r -> byRev.put(r.revision().sha(), r));
        assertEquals(
                "backed out by francis: 2300-04-0 breaks person names",
                byRev.get(r3).excludedBecause());
        assertTrue(byRev.get(f.revision.get("r4")).excludedBecause().contains("which was backed out"));
        assertTrue(byRev.get(f.revision.get("r1")).merged());
        assertTrue(
                s.timeline().stream().anyMatch(e -> e.message().startsWith("Backed out 2 revision(s) from")),
                s.timeline().toString());
        until(
                wf,
                "the announcement",
                x -> x.timeline().stream().anyMatch(e -> e.message().startsWith("Announced (backed-out-1)")));

        wf.ciBlessed(new MonthlySignals.Revision(head, "francis", null));
        stage(wf, "AWAITING_QASTAGING");
        wf.qastagingOk(new MonthlySignals.By("alice", "re-QA done"));
        stage(wf, "SCHEDULED");
        sleepUntil(main);
        stage(wf, "WATCHING");
        assertEquals(1, f.count(0, "SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 2"));
        assertEquals(0, f.count(0, "SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor IN (4, 5)"));
        wf.backOut(new MonthlySignals.BackOut(f.revision.get("r1"), "francis", "too late"));
        MonthlyStatus after = until(
                wf,
                "the late back-out refused",
                x -> x.signals().stream()
                        .anyMatch(r -> !r.accepted() && r.reason().startsWith("the window has run (stage WATCHING)")));
        assertEquals(f.revision.get("r2"), after.mergedRevision());
        WorkflowStub.fromTyped(wf).terminate("test over");
    }

    /**
     * Backed out before the merge, a revision stays out of it; backing out the first merged revision
     * reverts everything merged, and the downtime ends: nothing left to deploy, RC mode off.
     */
    @Test
    void backingOutEverythingMergedEndsTheDowntimeWithNothingToDeploy() throws Exception {
        f.start(null);
        Instant main = f.now().plus(Duration.ofDays(10));
        MonthlyDowntimeWorkflow wf = start("monthly-back-out-all", main, main.plus(Duration.ofDays(2)));
        confirmAll(wf);
        for (String r : List.of("r1", "r3", "r4")) {
            wf.qaOk(new MonthlySignals.Revision(f.revision.get(r), "alice", null));
        }
        wf.backOut(new MonthlySignals.BackOut(f.revision.get("r3"), "francis", "slow on staging"));
        stage(wf, "WAITING_FOR_MERGE");
        sleepUntil(main.minus(Duration.ofHours(48)).plusSeconds(1));
        MonthlyStatus rc = stage(wf, "AWAITING_CI");
        assertEquals(f.revision.get("r2"), rc.mergedRevision(), "the merge stops before the backed-out r3");
        assertEquals(
                "backed out by francis: slow on staging",
                rc.revisions().stream()
                        .filter(r -> r.revision().sha().equals(f.revision.get("r3")))
                        .findFirst()
                        .orElseThrow()
                        .excludedBecause());
        assertFalse(f.git.isAncestor(f.revision.get("r3"), "devel"));

        wf.backOut(new MonthlySignals.BackOut(f.revision.get("r1"), "francis", "heat breaks bug listings"));
        MonthlyDowntimeWorkflow.MonthlyResult result =
                WorkflowStub.fromTyped(wf).getResult(MonthlyDowntimeWorkflow.MonthlyResult.class);
        assertEquals(org.fastdowntime.model.Outcome.NOTHING_TO_MERGE, result.outcome());
        assertEquals(
                "Nothing left to deploy: everything merged was backed out by francis: heat breaks bug listings.",
                result.message());
        assertFalse(rc().rcMode(), "RC mode is off");
        assertFalse(Files.exists(f.repo.resolve("database/schema/patch-2300-02-0.sql")), "r1 reverted");
        assertEquals(0, f.count(0, "SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 2"));
        record("monthly-back-out-all");
    }

    @Test
    void aPersonsAbortBeforeTheWindowMovesItToANoticedTime() throws Exception {
        f.start(null);
        Instant main = f.now().plus(Duration.ofDays(10));
        Instant backup = main.plus(Duration.ofHours(3)); // too close to give 24 h notice once the main is aborted
        MonthlyDowntimeWorkflow wf = start("monthly-person-abort", main, backup);
        driveToScheduled(wf, main);
        sleepUntil(main.minus(Duration.ofHours(2)));
        wf.abort(new AbortSignal("the librarian is down", "mallory"));
        wf.abort(new AbortSignal("the librarian is down", "francis"));
        MonthlyStatus moved = until(
                wf,
                "the new window",
                x -> x.stage() == org.fastdowntime.model.MonthlyStage.SCHEDULED && !x.main().equals(main));
        assertTrue(moved.main().isAfter(f.now().plus(Duration.ofHours(24)).minusSeconds(1)), "at least 24 h notice");
        assertTrue(
                moved.timeline().stream().anyMatch(e -> e.message().contains("is less than 24 h away")),
                moved.timeline().toString());
        MonthlyDowntimeWorkflow.MonthlyResult result =
                WorkflowStub.fromTyped(wf).getResult(MonthlyDowntimeWorkflow.MonthlyResult.class);
        assertEquals(org.fastdowntime.model.Outcome.COMPLETED, result.outcome());
        assertEquals(1, f.count(0, "SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 2"));
        record("monthly-person-abort");
    }

    @Test
    void unconfirmedWindowsAreEscalatedThenCalledOff() throws Exception {
        f.start(null);
        Instant main = f.now().plus(Duration.ofDays(10));
        MonthlyDowntimeWorkflow wf = start("monthly-unconfirmed", main, main.plus(Duration.ofDays(2)));
        wf.confirmWindow(new MonthlySignals.Window("stakeholders", "sam", null, null));
        wf.confirmWindow(new MonthlySignals.Window("operations", "olga", null, null));
        until(wf, "two confirmations", s -> s.confirmations().size() == 2);
        sleepUntil(main.minus(Duration.ofDays(5)).plusSeconds(1));
        MonthlyStatus escalated = until(
                wf,
                "the escalation",
                s -> s.timeline().stream().anyMatch(e -> e.message().startsWith("Announced (escalation)")));
        assertTrue(escalated.timeline().stream().anyMatch(e -> e.message().contains("not confirmed yet by [dba]")));
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(wf).getResult(MonthlyDowntimeWorkflow.MonthlyResult.class));
        assertEquals(
                "WINDOW_NOT_CONFIRMED",
                assertInstanceOf(ApplicationFailure.class, e.getCause()).getType());
        assertFalse(f.git.isAncestor(f.revision.get("r1"), "devel"), "nothing was merged");
    }

    @Test
    void ciBlessesTheMergeThroughItsStatusUrl() throws Exception {
        com.sun.net.httpserver.HttpServer ci =
                com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        ci.createContext("/status/", exchange -> {
            String rev = exchange.getRequestURI().getPath().substring("/status/".length());
            asked.add(rev);
            byte[] body = (asked.size() < 2 ? "{\"status\":\"running\"}" : "{\"status\":\"success\"}").getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        ci.start();
        try {
            f.monthly = new MonthlySettings(
                    f.monthly.repository(),
                    "devel",
                    "db-stable",
                    "database/schema",
                    null,
                    "qastaging",
                    f.monthly.parties(),
                    f.monthly.leads(),
                    "http://127.0.0.1:" + ci.getAddress().getPort() + "/status/{revision}",
                    null,
                    MonthlySettings.Timing.defaults());
            f.start(null);
            Instant main = f.now().plus(Duration.ofDays(10));
            MonthlyDowntimeWorkflow wf = start("monthly-ci-url", main, main.plus(Duration.ofDays(2)));
            confirmAll(wf);
            wf.qaOk(new MonthlySignals.Revision(f.revision.get("r1"), "alice", null));
            stage(wf, "WAITING_FOR_MERGE");
            sleepUntil(main.minus(Duration.ofHours(48)).plusSeconds(1));
            MonthlyStatus rc = stage(wf, "AWAITING_CI");
            String merge = f.git.resolve("devel");
            for (int poll = 0;
                    poll < 3 && wf.status().stage() != org.fastdowntime.model.MonthlyStage.AWAITING_QASTAGING;
                    poll++) {
                f.env.sleep(Duration.ofMinutes(1).plusSeconds(1));
                Thread.sleep(500);
            }
            MonthlyStatus qa = stage(wf, "AWAITING_QASTAGING");
            assertTrue(asked.size() >= 2 && asked.stream().allMatch(merge::equals), asked.toString());
            assertTrue(qa.timeline().stream()
                    .anyMatch(e ->
                            e.message().contains("CI blessed") && e.message().contains("(CI)")));
            assertNotNull(rc.mergedRevision());
            wf.abort(new AbortSignal("test over", "francis"));
            assertThrows(
                    WorkflowFailedException.class,
                    () -> WorkflowStub.fromTyped(wf).getResult(MonthlyDowntimeWorkflow.MonthlyResult.class));
        } finally {
            ci.stop(0);
        }
    }

    private void record(String id) throws Exception {
        Histories.replayAndRecord(f.env.getWorkflowClient(), id);
    }
}
