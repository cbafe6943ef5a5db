package org.fastdowntime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowFailedException;
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
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.model.AbortSignal;
import org.fastdowntime.model.Deployment;
import org.fastdowntime.model.MonthlySignals;
import org.fastdowntime.model.MonthlyStatus;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.RevisionStatus;
import org.fastdowntime.monthly.MonthlyDowntimeWorkflow;
import org.fastdowntime.monthly.MonthlyDowntimeWorkflowImpl;
import org.fastdowntime.patch.EngineSettings;
import org.fastdowntime.patch.PatchEngine;
import org.fastdowntime.patch.PatchFolder;
import org.fastdowntime.release.MonthlySettings;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * MonthlyDowntime on Temporal's time-skipping test service. The merge and its rollout: the QA-ok prefix, the author rule, the budget, exactly the merge deployed, nothing cold, a patch changed after the merge, CI.
 */
class MonthlyDowntimeWorkflowTest extends MonthlyWorld {
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
                s -> s.timeline().stream()
                        .anyMatch(e -> e.code() == org.fastdowntime.model.EventCode.PREFLIGHT_PASSED));
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
        assertTrue(done.timeline().stream().anyMatch(e -> e.code() == org.fastdowntime.model.EventCode.GATE_OPENED));
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
                wf.status().timeline().stream()
                        .noneMatch(e -> e.code() == org.fastdowntime.model.EventCode.GATE_CLOSED),
                wf.status().timeline().toString());
        record("monthly-nothing-cold");
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
}
