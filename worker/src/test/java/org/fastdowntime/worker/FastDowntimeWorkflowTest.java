package org.fastdowntime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.fastdowntime.activity.Json;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.model.AbortSignal;
import org.fastdowntime.model.FastDowntimeRequest;
import org.fastdowntime.model.FastDowntimeResult;
import org.fastdowntime.model.FastDowntimeStatus;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchQaStatus;
import org.fastdowntime.model.QaSignal;
import org.fastdowntime.model.QaState;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * FastDowntime end to end: the real workflow, the real activities, a real PostgreSQL, Temporal's
 * test service.
 */
class FastDowntimeWorkflowTest {
    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path patches;

    WindowFixture w;

    @BeforeEach
    void world() throws Exception {
        w = new WindowFixture(db, patches);
        Files.delete(patches.resolve("patch-2300-05-0.sql"));
        Files.delete(patches.resolve("patch-2300-06-0.sql"));
        // Left: cold 2300-01-0, 2300-02-0, 2300-04-0 and live 2300-03-0.
    }

    @AfterEach
    void cleanUp() throws Exception {
        w.close();
    }

    /** Leads short enough for a "now" window in real time: it starts 2 s after QA is done. */
    private static org.fastdowntime.env.Budgets nowLeads(org.fastdowntime.env.Budgets b) {
        return b.withLeads(Duration.ofHours(1), Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMillis(500));
    }

    @Test
    void aWindowWithoutAStartHonoursTheQuiesceLeadFromTheEndOfQa() throws Exception {
        w.start(true);
        Instant started = w.now();
        FastDowntimeWorkflow window =
                startWindow("fdt-now-leads", new FastDowntimeRequest("test", "now", List.of("2300-01-0")));
        window.qaOk(ok("2300-01-0", "alice"));
        FastDowntimeResult r = WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class);
        assertEquals(org.fastdowntime.model.Outcome.COMPLETED, r.outcome(), r.toString());
        FastDowntimeStatus status = w.existing("fdt-now-leads").status();
        String waiting = status.timeline().stream()
                .filter(e -> e.message().startsWith("Waiting for QA"))
                .findFirst()
                .orElseThrow()
                .message();
        assertTrue(waiting.contains("The window starts the quiesce lead (1h) after QA is done"), waiting);
        var qaDone = status.timeline().stream()
                .filter(e -> e.message().startsWith("QA is done: the window starts at"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(status.timeline().toString()));
        Instant windowStart =
                Instant.parse(qaDone.message().replaceAll("^QA is done: the window starts at (\\S+), .*$", "$1"));
        assertEquals(qaDone.at().plus(Duration.ofHours(1)), windowStart, qaDone.message());
        assertTrue(
                status.timeline().stream().anyMatch(e -> e.message().contains("closes at " + windowStart)),
                "the armed outage closes the gate then: " + status.timeline());
        Instant quiesced = status.timeline().stream()
                .filter(e -> e.stage().equals("QUIESCED"))
                .findFirst()
                .orElseThrow()
                .at();
        assertTrue(!quiesced.isBefore(qaDone.at()), "quiesced once QA was done: " + status.timeline());
        assertTrue(qaDone.at().isBefore(started.plus(Duration.ofMinutes(5))), "QA was done at once");
        replays("fdt-now-leads");
    }

    private FastDowntimeRequest inTwoHours(String... ids) {
        return new FastDowntimeRequest("test", w.now().plus(Duration.ofHours(2)).toString(), List.of(ids));
    }

    private static QaSignal ok(String patch, String by) {
        return new QaSignal(patch, by, "looks fine on qastaging", null);
    }

    private FastDowntimeWorkflow startWindow(String id, FastDowntimeRequest request) {
        FastDowntimeWorkflow window = w.newWindow(id);
        WorkflowClient.start(window::run, request);
        return window;
    }

    private static String failureType(WorkflowFailedException e) {
        return assertInstanceOf(ApplicationFailure.class, e.getCause()).getType();
    }

    private void replays(String workflowId) throws Exception {
        Histories.replayAndRecord(w.client(), workflowId);
    }

    private void waitUntilGateIs(boolean open) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (w.gateOpen() != open) {
            assertTrue(System.nanoTime() < deadline, "gate never became " + (open ? "open" : "closed"));
            Thread.sleep(20);
        }
    }

    @Test
    void windowWithThreeApprovedColdPatchesCompletes() throws Exception {
        w.start(true);
        try (Connection before = w.connectAs(w.appRole)) {
            FastDowntimeWorkflow window = startWindow("fdt-happy", inTwoHours());
            for (String id : List.of("2300-01-0", "2300-02-0", "2300-03-0", "2300-04-0")) {
                window.qaOk(ok(id, "alice"));
            }
            FastDowntimeResult result = WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class);

            assertEquals(org.fastdowntime.model.Outcome.COMPLETED, result.outcome());
            assertEquals(
                    List.of("2300-03-0", "2300-01-0", "2300-02-0", "2300-04-0"), // live first, before the outage
                    result.applied().stream().map(PatchId::toString).toList());
            assertTrue(result.outageMillis() > 0);
            assertTrue(result.outageMillis() < 5 * 60 * 1000);
            // Recorded, live patch applied before the window, gate open, old session kicked, new ones
            // welcome.
            assertEquals(5, w.revisions());
            assertEquals(1, db.count("SELECT count(*) FROM pg_indexes WHERE indexname = 'bug__owner__idx'"));
            assertTrue(w.gateOpen());
            assertThrows(SQLException.class, () -> before.createStatement().execute("SELECT 1"));
        }
        try (Connection after = w.connectAs(w.appRole);
                Statement st = after.createStatement()) {
            st.execute("SELECT heat FROM bug LIMIT 1");
        }
        FastDowntimeStatus status = w.existing("fdt-happy").status();
        assertEquals(org.fastdowntime.model.FastStage.DONE, status.stage());
        assertTrue(status.patches().stream().allMatch(p -> p.state() == QaState.APPLIED));
        assertTrue(status.timeline().stream().anyMatch(e -> e.message().startsWith("Outage starts.")));
        assertTrue(status.timeline().stream().anyMatch(e -> e.message().startsWith("Outage complete. 00:00:")));
        assertTrue(status.timeline().stream().anyMatch(e -> e.message().contains("2300-03-0 applied live")));
        assertNotNull(status.outage());
        replays("fdt-happy");
    }

    /**
     * Launchpad's security.py, as configuration: the table and sequence a cold patch creates are
     * granted to the application role in the window's transaction, so it can use them the moment
     * the gate opens; comments.sql follows the patches in the same transaction.
     */
    @Test
    void aNewTableIsUsableByTheApplicationRoleTheMomentTheGateOpens() throws Exception {
        Files.writeString(patches.resolve("comments.sql"), "COMMENT ON TABLE bug IS 'A problem in a project.';\n");
        w.environments.put(
                "test",
                w.environments.get("test").toBuilder()
                        .grants(List.of(new org.fastdowntime.patch.Grant(
                                w.appRole, List.of("SELECT", "INSERT", "UPDATE", "DELETE"), List.of("USAGE"))))
                        .build());
        w.start(true);
        FastDowntimeWorkflow window = startWindow("fdt-grants", inTwoHours("2300-01-0"));
        window.qaOk(ok("2300-01-0", "alice"));
        FastDowntimeResult result = WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class);
        assertEquals(org.fastdowntime.model.Outcome.COMPLETED, result.outcome(), result.message());
        try (Connection app = w.connectAs(w.appRole);
                Statement st = app.createStatement()) {
            st.execute("INSERT INTO bugtag (bug, tag) SELECT min(id), 'ui' FROM bug");
            var rs = st.executeQuery("SELECT count(*) FROM bugtag");
            rs.next();
            assertEquals(1, rs.getInt(1), "the application role writes and reads the new table");
        }
        FastDowntimeStatus status = w.existing("fdt-grants").status();
        String timeline = status.timeline().toString();
        assertTrue(
                timeline.contains("Granted SELECT, INSERT, UPDATE, DELETE to " + w.appRole + " on [public.bugtag]."),
                timeline);
        assertTrue(timeline.contains("comments.sql re-applied in"), timeline);
        assertEquals(1, db.count("SELECT count(*) FROM fastdowntime.script_history WHERE file_name = 'comments.sql'"));
    }

    @Test
    void aLivePatchWaitsForItsQaOkLikeAColdOne() throws Exception {
        w.start(true);
        FastDowntimeWorkflow skipped = startWindow("fdt-live-skipped", inTwoHours());
        FastDowntimeResult nothing = WorkflowStub.fromTyped(skipped).getResult(FastDowntimeResult.class);
        assertEquals(org.fastdowntime.model.Outcome.SKIPPED, nothing.outcome());
        assertEquals(
                0,
                db.count("SELECT count(*) FROM pg_indexes WHERE indexname = 'bug__owner__idx'"),
                "a window that is skipped applies no LIVE patch");
        assertTrue(nothing.deferred().contains(PatchId.parse("2300-03-0")), nothing.toString());

        FastDowntimeWorkflow coldOnly = startWindow("fdt-live-unapproved", inTwoHours());
        coldOnly.qaOk(ok("2300-01-0", "alice"));
        FastDowntimeResult r = WorkflowStub.fromTyped(coldOnly).getResult(FastDowntimeResult.class);
        assertEquals(List.of(PatchId.parse("2300-01-0")), r.applied(), r.toString());
        assertEquals(
                0,
                db.count("SELECT count(*) FROM pg_indexes WHERE indexname = 'bug__owner__idx'"),
                "an unapproved LIVE patch stays pending");
        FastDowntimeStatus status = w.existing("fdt-live-unapproved").status();
        assertEquals(
                QaState.DEFERRED,
                status.patches().stream()
                        .filter(p -> p.id().toString().equals("2300-03-0"))
                        .findFirst()
                        .orElseThrow()
                        .state(),
                status.patches().toString());

        FastDowntimeWorkflow liveOnly = startWindow("fdt-live-only", inTwoHours("2300-03-0"));
        liveOnly.qaOk(ok("2300-03-0", "alice"));
        FastDowntimeResult live = WorkflowStub.fromTyped(liveOnly).getResult(FastDowntimeResult.class);
        assertEquals(org.fastdowntime.model.Outcome.SKIPPED, live.outcome(), "no outage for a LIVE patch alone");
        assertEquals(List.of(PatchId.parse("2300-03-0")), live.applied(), live.toString());
        assertTrue(live.message().contains("applied live 2300-03-0"), live.message());
        assertEquals(1, db.count("SELECT count(*) FROM pg_indexes WHERE indexname = 'bug__owner__idx'"));
        assertNull(w.existing("fdt-live-only").status().outage(), "no outage ran");
        replays("fdt-live-only");
    }

    @Test
    void aFailingAnnouncementChannelNeverDelaysTheOutage() throws Exception {
        try (var hook = new org.fastdowntime.testing.RecordingHttpServer()) {
            hook.answer("/down", 503);
            w.announce.put(
                    "test",
                    new org.fastdowntime.announce.AnnounceSettings(
                            List.of(new org.fastdowntime.announce.AnnounceSettings.Webhook(
                                    hook.url("/down"), Duration.ofSeconds(2))),
                            null,
                            false));
            w.start(true);
            FastDowntimeWorkflow window = startWindow("fdt-channel-down", inTwoHours("2300-01-0"));
            window.qaOk(ok("2300-01-0", "alice"));
            FastDowntimeResult result = WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class);
            assertEquals(org.fastdowntime.model.Outcome.COMPLETED, result.outcome(), result.message());
            FastDowntimeStatus status = w.existing("fdt-channel-down").status();
            java.time.Instant closed = status.timeline().stream()
                    .filter(e -> e.message().startsWith("Outage starts"))
                    .map(org.fastdowntime.model.TimelineEvent::at)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(status.timeline()));
            assertTrue(
                    !closed.isAfter(status.windowStart().plusSeconds(1)),
                    "the gate closed on time: " + closed + " for " + status.windowStart());
            for (String event : List.of("announced", "starting", "done")) {
                assertTrue(
                        status.timeline().stream()
                                .anyMatch(e -> e.message().startsWith("Announcement '" + event + "' failed")
                                        && e.message().contains("HTTP 503")),
                        "reported in the status: " + event + " " + status.timeline());
                long posts = hook.received("/down").stream()
                        .filter(r -> r.header("Idempotency-Key").endsWith("/" + event))
                        .count();
                assertTrue(posts >= 2, "retried: " + event + " was tried " + posts + " time(s)");
            }
            assertEquals(1, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 1"));
        }
    }

    @Test
    void unapprovedPatchIsDeferredAndStaysPending() throws Exception {
        w.start(true);
        FastDowntimeWorkflow window = startWindow("fdt-deferred", inTwoHours());
        window.qaOk(ok("2300-01-0", "alice"));
        window.qaOk(ok("2300-02-0", "bob"));
        FastDowntimeResult result = WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class);
        assertEquals(List.of(PatchId.parse("2300-04-0"), PatchId.parse("2300-03-0")), result.deferred());
        assertTrue(result.message().contains("deferred 2300-04-0"), result.message());
        assertEquals(0, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 4"));
        PatchQaStatus deferred = w.existing("fdt-deferred").status().patches().stream()
                .filter(p -> p.id().minor() == 4)
                .findFirst()
                .orElseThrow();
        assertEquals(QaState.DEFERRED, deferred.state());
        replays("fdt-deferred");
    }

    @Test
    void unknownApproverIsRejectedAndRecorded() throws Exception {
        w.start(true);
        FastDowntimeWorkflow window = startWindow("fdt-mallory", inTwoHours("2300-01-0"));
        window.qaOk(ok("2300-01-0", "mallory"));
        window.qaOk(new QaSignal(null, "alice", null, null));
        FastDowntimeResult result = WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class);
        assertEquals(org.fastdowntime.model.Outcome.SKIPPED, result.outcome());
        FastDowntimeStatus status = w.existing("fdt-mallory").status();
        assertEquals(2, status.signals().size());
        assertFalse(status.signals().get(0).accepted());
        assertEquals(
                "mallory is not a configured approver", status.signals().get(0).reason());
        assertEquals(
                "the payload needs \"patch\" and \"by\"",
                status.signals().get(1).reason());
        assertEquals(1, w.revisions(), "only the baseline");
        assertTrue(w.gateOpen());
    }

    @Test
    void aQaBadMustSayWhyAndOneThatDoesLeavesThePatchOut() throws Exception {
        w.start(true);
        FastDowntimeWorkflow window = startWindow("fdt-qabad", inTwoHours("2300-01-0", "2300-02-0"));
        window.qaBad(new QaSignal("2300-01-0", "alice", "looks wrong", null));
        window.qaBad(new QaSignal("2300-01-0", "alice", null, "slow on qastaging"));
        window.qaOk(ok("2300-02-0", "bob"));
        FastDowntimeResult result = WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class);
        assertEquals(List.of(PatchId.parse("2300-02-0")), result.applied());
        FastDowntimeStatus status = w.existing("fdt-qabad").status();
        assertFalse(status.signals().get(0).accepted(), "a qaBad without a reason is refused");
        assertTrue(
                status.signals().get(0).reason().contains("needs a \"reason\""),
                status.signals().toString());
        assertTrue(status.signals().get(1).accepted());
        assertEquals(
                QaState.REJECTED,
                status.patches().stream()
                        .filter(p -> p.id().minor() == 1)
                        .findFirst()
                        .orElseThrow()
                        .state());
        assertEquals(0, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 1"));
        replays("fdt-qabad");
    }

    @Test
    void overBudgetPatchWaitsForSignOff() throws Exception {
        Files.writeString(patches.resolve("patch-2300-07-0.sql"), "SELECT pg_sleep(0.5);\n");
        w.addStaging(Duration.ofMillis(300));
        w.start(true);
        FastDowntimeWorkflow window = startWindow("fdt-signoff", inTwoHours("2300-01-0", "2300-07-0"));
        window.qaOk(ok("2300-01-0", "alice"));
        window.qaOk(ok("2300-07-0", "alice"));
        window.signOff(new QaSignal("2300-07-0", "alice", null, null));
        window.signOff(new QaSignal("2300-07-0", "francis", "slow but harmless", null));
        FastDowntimeResult result = WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class);
        assertEquals(org.fastdowntime.model.Outcome.COMPLETED, result.outcome());
        assertTrue(result.applied().contains(PatchId.parse("2300-07-0")));
        FastDowntimeStatus status = w.existing("fdt-signoff").status();
        PatchQaStatus slow = status.patches().stream()
                .filter(p -> p.id().minor() == 7)
                .findFirst()
                .orElseThrow();
        assertTrue(slow.needsSignOff());
        assertEquals("francis", slow.signedOffBy());
        assertTrue(slow.stagingSeconds() >= 0.5);
        assertTrue(status.signals().stream()
                .anyMatch(s -> !s.accepted() && s.reason().equals("alice is not a configured sign-off approver")));
        assertEquals(1, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 7"));
        try (Connection stg = java.sql.DriverManager.getConnection(
                db.url().replace("/" + db.name() + "?", "/" + db.name() + "_stg?"))) {
            var rs = stg.createStatement().executeQuery("SELECT count(*) FROM LaunchpadDatabaseRevision");
            rs.next();
            assertEquals(1, rs.getInt(1), "staging was only timed, never changed");
        }
    }

    /**
     * The seeds' "10–15 seconds total": three patches each within the per-patch budget, whose total is
     * over the window's; the one that takes the total past it needs a sign-off and, without one, is
     * deferred.
     */
    @Test
    void patchesOverTheWindowsTotalStagingBudgetNeedASignOff() throws Exception {
        for (int minor : List.of(7, 8, 9)) {
            Files.writeString(patches.resolve("patch-2300-0" + minor + "-0.sql"), "SELECT pg_sleep(0.2);\n");
        }
        w.addStaging(Duration.ofSeconds(1));
        w.setBudgets(w.environments.get("test").budgets().withStagingTotal(Duration.ofMillis(500)));
        w.start(true);
        FastDowntimeWorkflow window =
                startWindow("fdt-staging-total", inTwoHours("2300-01-0", "2300-07-0", "2300-08-0", "2300-09-0"));
        window.qaOk(new QaSignal(
                null,
                "alice",
                "looks fine on qastaging",
                null,
                List.of("2300-01-0", "2300-07-0", "2300-08-0", "2300-09-0")));
        FastDowntimeResult result = WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class);
        assertEquals(org.fastdowntime.model.Outcome.COMPLETED, result.outcome(), result.message());
        assertEquals(List.of(PatchId.parse("2300-09-0")), result.deferred(), result.message());
        assertEquals(0, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 9"));
        assertEquals(1, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 8"));
        FastDowntimeStatus status = w.existing("fdt-staging-total").status();
        PatchQaStatus last = status.patches().stream()
                .filter(p -> p.id().minor() == 9)
                .findFirst()
                .orElseThrow();
        assertTrue(last.needsSignOff(), "the patch that takes the total over the budget");
        assertTrue(
                last.note().startsWith("over the window's total") && last.note().endsWith("; looks fine on qastaging"),
                last.note());
        assertTrue(
                status.timeline().stream()
                        .anyMatch(e -> e.message().startsWith("Staging total ")
                                && e.message().contains("is over the window's budget of")
                                && e.message().contains("2300-09-0 need a sign-off")),
                status.timeline().toString());
        assertFalse(
                status.patches().stream()
                        .filter(p -> p.id().minor() == 8)
                        .findFirst()
                        .orElseThrow()
                        .needsSignOff(),
                "within the total");
        replays("fdt-staging-total");
    }

    /** Staging behind production is refused before timing, with the list, and nothing changes. */
    @Test
    void stagingBehindProductionFailsTheTimingWithTheList() throws Exception {
        w.addStaging(Duration.ofSeconds(15));
        w.applyTo(db.url(), "an-earlier-window", "2300-01-0", "2300-02-0");
        w.start(true);
        FastDowntimeWorkflow window = startWindow("fdt-staging-behind", inTwoHours("2300-04-0"));
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class));
        ApplicationFailure af = assertInstanceOf(ApplicationFailure.class, e.getCause());
        assertEquals("STAGING_MISMATCH", af.getType());
        assertEquals(
                "staging lacks 2300-01-0, 2300-02-0 that production has: refresh staging", af.getOriginalMessage());
        assertEquals(0, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 4"));
    }

    /**
     * After QA on qastaging a candidate is on staging already: it keeps the time recorded when it was
     * applied there; one applied by another tool, with no time, needs a sign-off.
     */
    @Test
    void aCandidateAlreadyOnStagingKeepsItsRecordedTime() throws Exception {
        w.addStaging(Duration.ofSeconds(15));
        w.applyTo(w.stagingUrl(), "qastaging-qa", "2300-02-0");
        try (Connection stg = java.sql.DriverManager.getConnection(w.stagingUrl());
                Statement st = stg.createStatement()) {
            st.execute("ALTER TABLE person ADD CONSTRAINT valid_name CHECK (name <> '') NOT VALID");
            st.execute("INSERT INTO LaunchpadDatabaseRevision VALUES (2300, 4, 0)"); // by hand: no time known
        }
        w.start(true);
        FastDowntimeWorkflow window =
                startWindow("fdt-staging-history", inTwoHours("2300-01-0", "2300-02-0", "2300-04-0"));
        window.qaOk(QaSignal.of(List.of("2300-01-0", "2300-02-0", "2300-04-0"), "alice", null, null));
        window.signOff(new QaSignal("2300-04-0", "francis", "applied by hand on staging, fine", null));
        FastDowntimeResult result = WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class);
        assertEquals(org.fastdowntime.model.Outcome.COMPLETED, result.outcome(), result.message());
        FastDowntimeStatus status = w.existing("fdt-staging-history").status();
        Map<Integer, PatchQaStatus> byMinor = new java.util.HashMap<>();
        status.patches().forEach(p -> byMinor.put(p.id().minor(), p));
        assertNotNull(byMinor.get(2).stagingSeconds(), "the time recorded when it was applied on staging");
        assertFalse(byMinor.get(2).needsSignOff());
        assertNull(byMinor.get(4).stagingSeconds(), "no time known");
        assertTrue(byMinor.get(4).needsSignOff(), "no timing at all needs a sign-off");
        String timeline = status.timeline().toString();
        assertTrue(timeline.contains("2300-02-0 is on staging already: it took"), timeline);
        assertTrue(timeline.contains("2300-04-0 is on staging already, applied with no recorded time"), timeline);
        assertTrue(timeline.contains("2300-01-0 applied just now in"), timeline);
        assertEquals(
                3,
                db.count("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE major = 2300 AND minor IN (1, 2, 4)"));
    }

    @Test
    void overBudgetPatchWithoutSignOffIsDeferred() throws Exception {
        Files.writeString(patches.resolve("patch-2300-07-0.sql"), "SELECT pg_sleep(0.5);\n");
        w.addStaging(Duration.ofMillis(300));
        w.start(true);
        FastDowntimeWorkflow window = startWindow("fdt-nosignoff", inTwoHours("2300-07-0"));
        window.qaOk(ok("2300-07-0", "alice"));
        FastDowntimeResult result = WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class);
        assertEquals(org.fastdowntime.model.Outcome.SKIPPED, result.outcome());
        assertEquals(List.of(PatchId.parse("2300-07-0")), result.deferred());
    }

    @Test
    void fragileUserInATransactionAbortsTheWindowWithNothingChanged() throws Exception {
        w.start(true);
        try (Connection fragile = w.connectAs(w.fragileRole);
                Statement st = fragile.createStatement()) {
            fragile.setAutoCommit(false);
            st.execute("UPDATE bug SET title = title WHERE id = 1");
            FastDowntimeWorkflow window = startWindow("fdt-fragile", inTwoHours("2300-01-0"));
            window.qaOk(ok("2300-01-0", "alice"));
            WorkflowFailedException e = assertThrows(
                    WorkflowFailedException.class,
                    () -> WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class));
            assertEquals("FRAGILE_USER_BUSY", failureType(e));
            st.execute("SELECT 1"); // the fragile job was not interrupted
            fragile.rollback();
        }
        assertEquals(1, w.revisions());
        assertTrue(w.gateOpen());
        assertEquals(
                org.fastdowntime.model.FastStage.FAILED,
                w.existing("fdt-fragile").status().stage());
        replays("fdt-fragile");
    }

    /**
     * A patch that passes its rehearsal (on a copy of the schema, without rows) and fails in production (its
     * constraint is violated by rows): the whole window rolls back, and the status, timeline and history tell
     * the outage that happened.
     */
    @Test
    void failingPatchRollsBackTheWholeWindowAndReopensTheGate() throws Exception {
        Files.writeString(
                patches.resolve("patch-2300-04-0.sql"), "ALTER TABLE bug ADD CONSTRAINT bug__never CHECK (id < 0);\n");
        w.start(true);
        FastDowntimeWorkflow window = startWindow("fdt-failing", inTwoHours());
        for (String id : List.of("2300-01-0", "2300-02-0", "2300-04-0")) {
            window.qaOk(ok(id, "alice"));
        }
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class));
        assertEquals("PATCH_FAILED", failureType(e));
        assertTrue(
                e.getCause().getMessage().contains("patch-2300-04-0.sql"),
                e.getCause().getMessage());
        assertEquals(1, w.revisions(), "the baseline only: 2300-01-0 and 2300-02-0 rolled back");
        assertEquals(0, db.count("SELECT count(*) FROM pg_class WHERE relname = 'bugtag'"));
        assertTrue(w.gateOpen());
        FastDowntimeStatus status = w.existing("fdt-failing").status();
        assertEquals(org.fastdowntime.model.FailureType.PATCH_FAILED, status.failureType());
        assertNotNull(status.outage(), "the failed outage keeps its report");
        assertNotNull(status.outage().gateClosedAt());
        assertNotNull(status.outage().gateOpenedAt());
        assertTrue(status.outage().applied().isEmpty());
        assertTrue(status.timeline().stream().anyMatch(t -> t.message().startsWith("Outage starts.")));
        assertTrue(
                status.timeline().stream()
                        .anyMatch(t -> t.code() == org.fastdowntime.model.EventCode.OUTAGE_FAILED
                                && t.message().contains("patch-2300-04-0.sql")),
                status.timeline().toString());
        assertEquals(
                1,
                db.count("SELECT count(*) FROM fastdowntime.window_history WHERE outcome = 'FAILED'"),
                "the cycle-time report's history has the failed outage");
        assertTrue(
                status.message().contains("still pending") || status.message().contains("rolled back"),
                status.message());
        replays("fdt-failing");
    }

    @Test
    void cancellingTheWorkflowDuringTheOutageReopensTheGate() throws Exception {
        Files.writeString(patches.resolve("patch-2300-07-0.sql"), "SELECT pg_sleep(30) FROM bug LIMIT 1;\n");
        w.setBudgets(nowLeads(WindowFixture.budgets(Duration.ofSeconds(5), Duration.ofSeconds(5))));
        w.start(false);
        FastDowntimeWorkflow window =
                startWindow("fdt-cancel", new FastDowntimeRequest("test", null, List.of("2300-01-0", "2300-07-0")));
        window.qaOk(ok("2300-01-0", "alice"));
        window.qaOk(ok("2300-07-0", "alice"));
        waitUntilGateIs(false);
        WorkflowStub.fromTyped(window).cancel();
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class));
        assertInstanceOf(CanceledFailure.class, e.getCause());
        assertTrue(w.gateOpen());
        assertEquals(1, w.revisions(), "the baseline; nothing of the window");
        assertEquals(0, db.count("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%'"));
        FastDowntimeStatus status = w.existing("fdt-cancel").status();
        assertEquals(
                org.fastdowntime.model.FastStage.CANCELLED,
                status.stage(),
                status.timeline().toString());
        assertTrue(
                status.timeline().stream()
                        .anyMatch(t -> t.stage().equals("CANCELLED")
                                && t.message().startsWith("Cancelled at OUTAGE; background jobs were resumed.")),
                status.timeline().toString());
        assertTrue(
                status.timeline().stream().anyMatch(t -> t.message().contains("resume hook")),
                "the resume hooks ran: " + status.timeline());
        replays("fdt-cancel");
    }

    @Test
    void abortSignalDuringTheOutageRollsBackAndReopens() throws Exception {
        Files.writeString(patches.resolve("patch-2300-07-0.sql"), "SELECT pg_sleep(30) FROM bug LIMIT 1;\n");
        w.setBudgets(nowLeads(WindowFixture.budgets(Duration.ofSeconds(5), Duration.ofSeconds(5))));
        w.start(false);
        FastDowntimeWorkflow window =
                startWindow("fdt-abort", new FastDowntimeRequest("test", "now", List.of("2300-07-0")));
        window.qaOk(ok("2300-07-0", "alice"));
        waitUntilGateIs(false);
        window.abort(new AbortSignal("replication is lagging", "mallory"));
        window.abort(new AbortSignal("replication is lagging", "bob"));
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class));
        assertEquals("ABORTED", failureType(e));
        assertTrue(w.gateOpen());
        assertEquals(1, w.revisions(), "the baseline only (the LIVE patch was not approved)");
        FastDowntimeStatus status = w.existing("fdt-abort").status();
        assertEquals(org.fastdowntime.model.FastStage.ABORTED, status.stage());
        assertFalse(status.signals().stream()
                .filter(s -> "mallory".equals(s.by()))
                .findFirst()
                .orElseThrow()
                .accepted());
        replays("fdt-abort");
    }

    @Test
    void workerStoppedDuringTheOutageAnotherWorkerReopensTheGate() throws Exception {
        Files.writeString(patches.resolve("patch-2300-07-0.sql"), "UPDATE bug SET title = title WHERE id = 1;\n");
        Files.delete(patches.resolve("patch-2300-03-0.sql")); // its index build would wait on the test's lock first
        w.setBudgets(nowLeads(WindowFixture.budgets(Duration.ofSeconds(15), Duration.ofSeconds(60))));
        // The test's lock on bug would hold the rehearsal's schema copy (pg_dump waits up to the lock timeout);
        // this test is about the outage's worker, not the rehearsal.
        w.environments.put(
                "test",
                w.environments.get("test").toBuilder()
                        .rehearsal(org.fastdowntime.env.EnvironmentSettings.Rehearsal.NONE)
                        .build());
        w.start(false);
        try (Connection holder = db.connect();
                Statement st = holder.createStatement()) {
            holder.setAutoCommit(false);
            st.execute("LOCK TABLE bug IN ACCESS EXCLUSIVE MODE"); // as postgres, a system user: never kicked
            FastDowntimeWorkflow window =
                    startWindow("fdt-worker-death", new FastDowntimeRequest("test", null, List.of("2300-07-0")));
            window.qaOk(ok("2300-07-0", "alice"));
            waitUntilGateIs(false);
            Thread.sleep(300); // the apply is now blocked on the lock
            long stoppedAt = System.nanoTime();
            w.env.getWorkerFactory().shutdownNow();

            WorkerFactory second = WorkerFactory.newInstance(w.client());
            w.newWorker(second);
            second.start();
            waitUntilGateIs(true);
            double seconds = (System.nanoTime() - stoppedAt) / 1e9;
            double heartbeatTimeout =
                    w.environments.get("test").budgets().heartbeatTimeout().toMillis() / 1000.0;
            assertTrue(seconds < heartbeatTimeout + 5, "gate reopened " + seconds + " s after the worker stopped");
            WorkflowFailedException e = assertThrows(
                    WorkflowFailedException.class,
                    () -> WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class));
            assertEquals("OUTAGE_LOST", failureType(e));
            holder.rollback();
            second.shutdownNow();
        }
        assertEquals(0, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 7"));
        assertEquals(
                0,
                db.count("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE"
                        + " 'fastdowntime:fdt-worker-death%'"));
        replays("fdt-worker-death");
    }

    @Test
    void startedByTypeNameWithRawJsonAsTheUiDoes() throws Exception {
        w.start(true);
        String json = "{\"environment\":\"test\",\"windowStart\":\""
                + w.now().plus(Duration.ofHours(3))
                + "\",\"patches\":[\"2300-01-0\"]}";
        WorkflowStub stub = w.client()
                .newUntypedWorkflowStub(
                        FastDowntimeWorkflow.TYPE,
                        WorkflowOptions.newBuilder()
                                .setTaskQueue(WindowFixture.QUEUE)
                                .setWorkflowId("fdt-ui")
                                .build());
        stub.start(Json.mapper().readValue(json, Map.class));
        stub.signal(
                "qaOk",
                Json.mapper().readValue("{\"patch\":\"2300-01-0\",\"by\":\"alice\",\"note\":\"ok\"}", Map.class));
        Map<?, ?> result = stub.getResult(Map.class);
        assertEquals("COMPLETED", result.get("outcome"));
        assertEquals(List.of("2300-01-0"), result.get("applied"));
    }

    @Test
    void badInputFailsClearlyAndChangesNothing() throws Exception {
        w.start(true);
        FastDowntimeWorkflow pastWindow =
                startWindow("fdt-past", new FastDowntimeRequest("test", "2001-01-01T00:00:00Z", null));
        WorkflowFailedException past = assertThrows(
                WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(pastWindow).getResult(FastDowntimeResult.class));
        assertEquals("BAD_INPUT", failureType(past));
        assertTrue(past.getCause().getMessage().contains("is in the past"));

        FastDowntimeWorkflow garbled =
                startWindow("fdt-garbled", new FastDowntimeRequest("test", "tomorrow-ish", null));
        WorkflowFailedException bad = assertThrows(
                WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(garbled).getResult(FastDowntimeResult.class));
        assertTrue(bad.getCause().getMessage().contains("ISO-8601"));

        FastDowntimeWorkflow unknown = startWindow("fdt-unknown", new FastDowntimeRequest("nowhere", null, null));
        WorkflowFailedException env = assertThrows(
                WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(unknown).getResult(FastDowntimeResult.class));
        assertEquals("UNKNOWN_ENVIRONMENT", failureType(env));

        FastDowntimeWorkflow notPending = startWindow("fdt-notpending", inTwoHours("2300-09-0"));
        WorkflowFailedException np = assertThrows(
                WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(notPending).getResult(FastDowntimeResult.class));
        assertEquals("BAD_INPUT", failureType(np));
        assertTrue(np.getCause().getMessage().contains("2300-09-0"));
        assertEquals(1, w.revisions());
        assertTrue(w.gateOpen());
    }
}
