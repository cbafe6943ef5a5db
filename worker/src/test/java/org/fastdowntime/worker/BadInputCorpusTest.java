package org.fastdowntime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.model.AbortSignal;
import org.fastdowntime.model.FastDowntimeRequest;
import org.fastdowntime.model.FastDowntimeResult;
import org.fastdowntime.model.FastDowntimeStatus;
import org.fastdowntime.model.QaSignal;
import org.fastdowntime.model.SignalRecord;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input corpus, one test each: every case gets a clear error, is visible in the window's
 * status, and changes nothing — no cold patch applied, the gate open.
 */
class BadInputCorpusTest {
    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path patches;

    WindowFixture w;

    @BeforeEach
    void world() throws Exception {
        w = new WindowFixture(db, patches);
    }

    @AfterEach
    void cleanUp() throws Exception {
        w.close();
    }

    private void nothingChanged() throws Exception {
        assertEquals(
                0,
                db.count("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor IN (1, 2, 4)"),
                "no cold patch applied");
        assertTrue(w.gateOpen(), "the gate is open");
    }

    private WorkflowStub startRaw(String id, Object input) {
        WorkflowStub stub = w.client()
                .newUntypedWorkflowStub(
                        FastDowntimeWorkflow.TYPE,
                        WorkflowOptions.newBuilder()
                                .setTaskQueue(WindowFixture.QUEUE)
                                .setWorkflowId(id)
                                .build());
        stub.start(input);
        return stub;
    }

    private static ApplicationFailure failure(WorkflowStub stub) {
        WorkflowFailedException e =
                assertThrows(WorkflowFailedException.class, () -> stub.getResult(FastDowntimeResult.class));
        return (ApplicationFailure) e.getCause();
    }

    private FastDowntimeWorkflow window(String id, String... patchIds) {
        FastDowntimeWorkflow window = w.newWindow(id);
        WorkflowClient.start(
                window::run,
                new FastDowntimeRequest(
                        "test", w.now().plus(Duration.ofHours(2)).toString(), List.of(patchIds)));
        return window;
    }

    private static SignalRecord last(FastDowntimeStatus s) {
        return s.signals().get(s.signals().size() - 1);
    }

    @Test
    void malformedWorkflowInputFailsAsBadInputInsteadOfBlockingTheWorkflow() throws Exception {
        w.start(true);
        ApplicationFailure f = failure(startRaw("bad-json", Map.of("environment", "test", "patches", Map.of("x", 1))));
        assertEquals("BAD_INPUT", f.getType());
        assertEquals("bad input: \"patches\" must be a list, not an object", f.getOriginalMessage());
        ApplicationFailure env = failure(startRaw("bad-env-type", Map.of("environment", List.of("test"))));
        assertEquals("bad input: \"environment\" must be text, not a list", env.getOriginalMessage());
        FastDowntimeStatus s = w.existing("bad-json").status();
        assertEquals(org.fastdowntime.model.FastStage.FAILED, s.stage());
        assertEquals(org.fastdowntime.model.FailureType.BAD_INPUT, s.failureType());
        nothingChanged();
    }

    @Test
    void unknownEnvironment() throws Exception {
        w.start(true);
        ApplicationFailure f = failure(startRaw("nowhere", Map.of("environment", "nowhere")));
        assertEquals("UNKNOWN_ENVIRONMENT", f.getType());
        assertTrue(f.getOriginalMessage().contains("configured: test"), f.getOriginalMessage());
        assertEquals(
                org.fastdowntime.model.FailureType.UNKNOWN_ENVIRONMENT,
                w.existing("nowhere").status().failureType());
        nothingChanged();
    }

    @Test
    void windowInThePast() throws Exception {
        w.start(true);
        ApplicationFailure f =
                failure(startRaw("past", Map.of("environment", "test", "windowStart", "2001-01-01T00:00:00Z")));
        assertEquals("BAD_INPUT", f.getType());
        assertTrue(f.getOriginalMessage().contains("is in the past"), f.getOriginalMessage());
        assertEquals(
                org.fastdowntime.model.FailureType.BAD_INPUT,
                w.existing("past").status().failureType());
        nothingChanged();
    }

    @Test
    void unknownAndMalformedPatchIds() throws Exception {
        w.start(true);
        ApplicationFailure unknown =
                failure(startRaw("unknown-patch", Map.of("environment", "test", "patches", List.of("2300-09-0"))));
        assertEquals("BAD_INPUT", unknown.getType());
        assertTrue(unknown.getOriginalMessage().contains("2300-09-0"), unknown.getOriginalMessage());
        ApplicationFailure malformed =
                failure(startRaw("malformed-patch", Map.of("environment", "test", "patches", List.of("2300-1"))));
        assertEquals("BAD_INPUT", malformed.getType());
        assertTrue(malformed.getOriginalMessage().startsWith("\"patches\": "), malformed.getOriginalMessage());
        nothingChanged();
    }

    @Test
    void duplicateSignalsAreRecordedAndIgnored() throws Exception {
        w.start(true);
        FastDowntimeWorkflow window = window("duplicates", "2300-01-0", "2300-02-0");
        window.qaOk(new QaSignal("2300-01-0", "alice", null, null));
        window.qaOk(new QaSignal("2300-01-0", "alice", null, null));
        window.abort(new AbortSignal("freeze", "francis"));
        window.abort(new AbortSignal("freeze again", "bob"));
        w.env.sleep(Duration.ofSeconds(1));
        assertThrows(
                WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class));
        FastDowntimeStatus s = w.existing("duplicates").status();
        assertEquals("duplicate: already approved by alice", s.signals().get(1).reason());
        assertFalse(s.signals().get(1).accepted());
        assertTrue(
                s.signals().get(3).reason().startsWith("duplicate: already aborted by francis"),
                s.signals().toString());
        nothingChanged();
    }

    @Test
    void lateSignalsAreRejected() throws Exception {
        w.start(true);
        FastDowntimeWorkflow window = window("late", "2300-01-0", "2300-02-0");
        window.qaOk(new QaSignal("2300-01-0", "alice", null, null));
        // QA closes at T - 1 h; now it is T - 30 min.
        w.env.sleep(Duration.ofMinutes(90));
        window.qaOk(new QaSignal("2300-02-0", "alice", "too late", null));
        FastDowntimeResult r = WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class);
        assertEquals(org.fastdowntime.model.Outcome.COMPLETED, r.outcome());
        FastDowntimeStatus s = w.existing("late").status();
        SignalRecord late = s.signals().stream()
                .filter(x -> "too late".equals(x.reason()) || !x.accepted())
                .findFirst()
                .orElseThrow();
        assertTrue(late.reason().startsWith("QA for this window is closed"), late.reason());
        assertEquals(0, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 2"), "not applied");
        // After the window closed, Temporal itself refuses the signal.
        Exception closed =
                assertThrows(Exception.class, () -> window.qaOk(new QaSignal("2300-02-0", "alice", null, null)));
        assertTrue(
                String.valueOf(closed.getMessage()).toLowerCase().contains("completed")
                        || closed.getClass().getSimpleName().contains("NotFound"),
                closed.toString());
        assertTrue(w.gateOpen());
    }

    @Test
    void signalPayloadsWithWrongTypesOrMissingFields() throws Exception {
        w.start(true);
        window("payloads", "2300-01-0");
        WorkflowStub stub = w.client().newUntypedWorkflowStub("payloads");
        stub.signal("qaOk", Map.of("patch", List.of("2300-01-0"), "by", "alice"));
        stub.signal("qaOk", Map.of("patch", "2300-01-0", "by", Map.of("name", "alice")));
        stub.signal("qaOk", Map.of("by", "alice"));
        stub.signal("abort", Map.of("by", "francis"));
        stub.signal("qaOk", "not an object");
        w.env.sleep(Duration.ofSeconds(1));
        List<String> reasons = w.existing("payloads").status().signals().stream()
                .map(SignalRecord::reason)
                .toList();
        assertEquals(
                List.of(
                        "\"patch\" must be text, not a list",
                        "\"by\" must be text, not an object",
                        "the payload needs \"patch\" and \"by\"",
                        "the payload needs \"reason\" and \"by\""),
                reasons.subList(0, 4));
        assertEquals(5, reasons.size(), "the bare string is kept too: " + reasons);
        assertEquals("the payload must be a JSON object, not \"not an object\"", reasons.get(4));
        assertTrue(w.existing("payloads").status().signals().stream().noneMatch(SignalRecord::accepted));
        WorkflowStub.fromTyped(w.existing("payloads")).cancel();
        nothingChanged();
    }

    @Test
    void hugePayloadsAreRejectedNotStored() throws Exception {
        w.start(true);
        FastDowntimeWorkflow window = window("huge", "2300-01-0");
        window.qaOk(new QaSignal("2300-01-0", "alice", "x".repeat(200_000), null));
        w.env.sleep(Duration.ofSeconds(1));
        FastDowntimeStatus s = w.existing("huge").status();
        assertEquals("\"note\" is 200000 characters long (at most 4000)", last(s).reason());
        assertFalse(last(s).accepted());
        assertTrue(s.patches().get(0).note() == null, "the note was not kept");
        ApplicationFailure f =
                failure(startRaw("huge-input", Map.of("environment", "test", "windowStart", "9".repeat(10_000))));
        assertEquals("bad input: \"windowStart\" is 10000 characters long (at most 4000)", f.getOriginalMessage());
        WorkflowStub.fromTyped(window).cancel();
        nothingChanged();
    }

    @Test
    void namesInTheConfigThatWouldInjectSqlAreQuotedOrBound() throws Exception {
        String evil = "x'); DROP TABLE bug; --";
        EnvironmentSettings t = w.environments.get("test");
        w.environments.put(
                "test",
                EnvironmentSettings.builder(t.name(), t.jdbcUrl())
                        .user(t.user())
                        .password(t.password())
                        .patches(t.patches())
                        .revisionTable(t.revisionTable())
                        .maintenanceDatabase(t.maintenanceDatabase())
                        .staging(t.staging())
                        .approvers(t.approvers())
                        .signOffApprovers(t.signOffApprovers())
                        .systemUsers(new LinkedHashSet<>(List.of("postgres", evil, "quote\"d")))
                        .fragileUsers(new LinkedHashSet<>(List.of(evil)))
                        .badUsers(new LinkedHashSet<>(List.of(evil + "2")))
                        .quiesce(t.quiesce())
                        .resume(t.resume())
                        .checkUrls(t.checkUrls())
                        .checkSql(t.checkSql())
                        .budgets(t.budgets())
                        .build());
        w.start(true);
        FastDowntimeWorkflow window = window("injection", "2300-01-0");
        window.qaOk(new QaSignal("2300-01-0", "alice", null, null));
        assertEquals(
                org.fastdowntime.model.Outcome.COMPLETED,
                WorkflowStub.fromTyped(window)
                        .getResult(FastDowntimeResult.class)
                        .outcome());
        assertEquals(1, db.count("SELECT count(*) FROM pg_class WHERE relname = 'bug'"), "bug is still there");
        assertTrue(w.gateOpen());
        // A revision table name is an identifier: one that is not is refused before anything runs.
        assertThrows(
                IllegalArgumentException.class,
                () -> org.fastdowntime.patch.EngineSettings.defaults()
                        .withRevisionTable("LaunchpadDatabaseRevision; DROP TABLE bug"));
        assertEquals("\"a\"\"b\"", org.fastdowntime.gate.NativeGate.quoteIdent("a\"b"));
    }

    @Test
    void aPatchChangedAfterQaOkIsNeverApplied() throws Exception {
        w.start(true);
        FastDowntimeWorkflow window = window("changed", "2300-01-0");
        window.qaOk(new QaSignal("2300-01-0", "alice", null, null));
        w.env.sleep(Duration.ofMinutes(70)); // approved and pinned; QA closed
        Files.writeString(
                patches.resolve("patch-2300-01-0.sql"),
                "DROP TABLE bug CASCADE;\n\n" + "INSERT INTO LaunchpadDatabaseRevision VALUES (2300, 1, 0);\n");
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class));
        ApplicationFailure f = (ApplicationFailure) e.getCause();
        assertEquals("PATCH_CHANGED", f.getType());
        assertTrue(
                f.getOriginalMessage().contains("changed after the window was sealed")
                        && f.getOriginalMessage().contains("The gate was never closed and nothing was changed"),
                f.getOriginalMessage());
        assertEquals(
                org.fastdowntime.model.FailureType.PATCH_CHANGED,
                w.existing("changed").status().failureType());
        assertEquals(1, db.count("SELECT count(*) FROM pg_class WHERE relname = 'bug'"));
        nothingChanged();
    }
}
