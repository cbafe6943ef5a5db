package org.fastdowntime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.model.FastDowntimeRequest;
import org.fastdowntime.model.FastDowntimeResult;
import org.fastdowntime.model.FastDowntimeStatus;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchQaStatus;
import org.fastdowntime.model.QaSignal;
import org.fastdowntime.model.QaState;
import org.junit.jupiter.api.Test;

/**
 * FastDowntime end to end. QA and staging: approvals, rejections, sign-offs, the staging budgets, deferral.
 */
class FastWindowQaTest extends FastWindowWorld {
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
                status.timeline().stream()
                        .anyMatch(e -> e.code() == org.fastdowntime.model.EventCode.OUTAGE_ARMED
                                && e.message().contains("closes at " + windowStart)),
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
            // Timed and rolled back before QA; after the commit it follows what the window applied.
            assertEquals(3, rs.getInt(1), "the baseline and the window's two patches, applied once");
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

    /** A window's commit is followed on staging, so the next window finds staging in step and times there. */
    @Test
    void stagingFollowsEachWindowSoTheNextOneTimesThere() throws Exception {
        w.addStaging(Duration.ofSeconds(15));
        w.start(true);
        FastDowntimeWorkflow first = startWindow("fdt-staging-follows", inTwoHours("2300-01-0"));
        first.qaOk(ok("2300-01-0", "alice"));
        FastDowntimeResult r1 = WorkflowStub.fromTyped(first).getResult(FastDowntimeResult.class);
        assertEquals(org.fastdowntime.model.Outcome.COMPLETED, r1.outcome(), r1.message());
        String timeline = w.existing("fdt-staging-follows").status().timeline().toString();
        assertTrue(timeline.contains("Staging brought up with 2300-01-0."), timeline);
        assertEquals(1, onStaging(1));

        FastDowntimeWorkflow second = startWindow("fdt-staging-follows-next", inTwoHours("2300-02-0"));
        second.qaOk(ok("2300-02-0", "alice"));
        FastDowntimeResult r2 = WorkflowStub.fromTyped(second).getResult(FastDowntimeResult.class);
        assertEquals(org.fastdowntime.model.Outcome.COMPLETED, r2.outcome(), "staging was in step: " + r2.message());
        assertEquals(1, onStaging(2));
        replays("fdt-staging-follows");
    }

    /** Whether staging recorded 2300-{@code minor}-0. */
    private long onStaging(int minor) throws Exception {
        try (Connection stg = java.sql.DriverManager.getConnection(w.stagingUrl());
                Statement st = stg.createStatement();
                java.sql.ResultSet rs = st.executeQuery(
                        "SELECT count(*) FROM LaunchpadDatabaseRevision WHERE major = 2300 AND minor = " + minor)) {
            rs.next();
            return rs.getLong(1);
        }
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
}
