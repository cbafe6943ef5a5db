package org.fastdowntime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.fastdowntime.model.MonthlySignals;
import org.fastdowntime.model.MonthlyStatus;
import org.fastdowntime.model.RevisionStatus;
import org.fastdowntime.monthly.MonthlyDowntimeWorkflow;
import org.junit.jupiter.api.Test;

/**
 * MonthlyDowntime on Temporal's time-skipping test service. RC mode, back-outs and cancellation: what is merged can be backed out, and a cancelled month leaves RC mode and resumes what it paused.
 */
class MonthlyRcAndBackOutsTest extends MonthlyWorld {
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
}
