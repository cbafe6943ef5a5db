package org.fastdowntime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.fastdowntime.activity.Json;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.model.FastDowntimeRequest;
import org.fastdowntime.model.FastDowntimeResult;
import org.fastdowntime.model.FastDowntimeStatus;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.QaState;
import org.junit.jupiter.api.Test;

/**
 * FastDowntime end to end. Windows that complete: patches applied, a new table usable by the application at once, an announcement channel down, started from raw JSON as the UI does, bad input refused.
 */
class FastDowntimeWorkflowTest extends FastWindowWorld {
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
        assertTrue(status.timeline().stream().anyMatch(e -> e.code() == org.fastdowntime.model.EventCode.GATE_CLOSED));
        assertTrue(status.timeline().stream().anyMatch(e -> e.code() == org.fastdowntime.model.EventCode.GATE_OPENED));
        // The wording people read, on purpose: Launchpad's log line.
        assertTrue(status.timeline().stream().anyMatch(e -> e.message().startsWith("Outage complete. 00:00:")));
        assertTrue(status.timeline().stream().anyMatch(e -> e.message().contains("2300-03-0 applied live")));
        // What follows the outage reads as after it: the preflight run again and the resume hooks.
        assertTrue(
                status.timeline().stream()
                        .filter(e -> e.message().startsWith("Preflight after the window")
                                || e.message().contains("resume hook"))
                        .allMatch(e -> e.stage().equals("POST_CHECKS")),
                status.timeline().toString());
        assertNotNull(status.outage());
        replays("fdt-happy");
    }

    /**
     * Every way a window ends is a search attribute beside its environment, so lists tell them apart: DONE, ABORTED,
     * CANCELLED, the failure's type for an unknown environment, NOTHING_APPLIED once nothing is left.
     */
    @Test
    void howEachWindowEndedIsASearchAttribute() throws Exception {
        w.start(true);
        FastDowntimeWorkflow done = startWindow("fdt-outcome-done", inTwoHours());
        for (String id : List.of("2300-01-0", "2300-02-0", "2300-03-0", "2300-04-0")) {
            done.qaOk(ok(id, "alice"));
        }
        WorkflowStub.fromTyped(done).getResult(FastDowntimeResult.class);
        assertOutcome("fdt-outcome-done", "test", "DONE");
        replays("fdt-outcome-done");

        FastDowntimeWorkflow unknown = startWindow(
                "fdt-outcome-unknown",
                new FastDowntimeRequest("tset", w.now().plusSeconds(7200).toString(), null));
        assertThrows(
                WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(unknown).getResult(Object.class));
        assertOutcome("fdt-outcome-unknown", "tset", "UNKNOWN_ENVIRONMENT");

        FastDowntimeWorkflow empty = startWindow("fdt-outcome-empty", inTwoHours());
        WorkflowStub.fromTyped(empty).getResult(FastDowntimeResult.class);
        assertOutcome("fdt-outcome-empty", "test", "NOTHING_APPLIED");
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
                    .filter(e -> e.code() == org.fastdowntime.model.EventCode.GATE_CLOSED)
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

    /**
     * A window two minutes ahead cannot give background jobs their hour of quiesce: it says so in its status, on its
     * timeline with the time they got, and in its announcement.
     */
    @Test
    void aWindowAtShortNoticeAnnouncesWhatItsLeadsGot() throws Exception {
        try (var hook = new org.fastdowntime.testing.RecordingHttpServer()) {
            w.announce.put(
                    "test",
                    new org.fastdowntime.announce.AnnounceSettings(
                            List.of(new org.fastdowntime.announce.AnnounceSettings.Webhook(
                                    hook.url("/feed"), Duration.ofSeconds(2))),
                            null,
                            false));
            w.start(true);
            FastDowntimeWorkflow window = startWindow(
                    "fdt-short-notice",
                    new FastDowntimeRequest(
                            "test", w.now().plus(Duration.ofMinutes(2)).toString(), List.of("2300-01-0")));
            window.qaOk(ok("2300-01-0", "alice"));
            FastDowntimeResult result = WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class);
            assertEquals(org.fastdowntime.model.Outcome.COMPLETED, result.outcome(), result.message());
            FastDowntimeStatus status = w.existing("fdt-short-notice").status();
            assertTrue(
                    status.warnings().stream().anyMatch(x -> x.startsWith("quiesce lead shortened: background jobs")),
                    status.warnings().toString());
            assertTrue(
                    status.timeline().stream()
                            .anyMatch(e -> e.message().startsWith("Short notice: background jobs were quiesced ")
                                    && e.message().endsWith("before the window, not the configured 1h.")),
                    status.timeline().toString());
            String announced = hook.received("/feed").stream()
                    .filter(r -> r.header("Idempotency-Key").endsWith("/announced"))
                    .map(org.fastdowntime.testing.RecordingHttpServer.Received::body)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("announced"));
            assertTrue(announced.contains("Short notice: quiesce lead shortened"), announced);
        }
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
