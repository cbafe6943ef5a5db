package org.fastdowntime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.model.AbortSignal;
import org.fastdowntime.model.MonthlySignals;
import org.fastdowntime.model.MonthlyStatus;
import org.fastdowntime.monthly.MonthlyDowntimeWorkflow;
import org.fastdowntime.release.MonthlySettings;
import org.junit.jupiter.api.Test;

/**
 * MonthlyDowntime on Temporal's time-skipping test service. The windows: negotiation, notice, escalation, an outage off track or a person's abort moved to the backup or a noticed time, a busy environment, a failure after COMMIT.
 */
class MonthlyWindowsTest extends MonthlyWorld {
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
                x -> x.stage() == org.fastdowntime.model.MonthlyStage.SCHEDULED
                        && !x.main().equals(main));
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
}
