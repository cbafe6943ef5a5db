package org.fastdowntime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.fastdowntime.env.FleetSettings;
import org.fastdowntime.fleet.FleetDowntimeWorkflow;
import org.fastdowntime.ledger.Ledgers;
import org.fastdowntime.model.FailurePolicy;
import org.fastdowntime.model.FleetDowntimeRequest;
import org.fastdowntime.model.FleetMode;
import org.fastdowntime.model.FleetResult;
import org.fastdowntime.model.FleetStage;
import org.fastdowntime.model.FleetStatus;
import org.fastdowntime.model.LedgerWord;
import org.fastdowntime.model.MemberOutcome;
import org.fastdowntime.model.MemberOutcome.MemberState;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fleet windows on real databases: three member databases on the test server, the real workflows (the fleet and
 * its members' child workflows), the real activities, one QA in the ledger. A member whose bundle fails stops a
 * waves fleet PARTIAL; in an atomic fleet it leaves every member unchanged and no prepared transaction behind.
 */
class FleetWindowTest {
    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path patches;

    WindowFixture w;
    /** Member name → database name; m1 is the shared environment's own database. */
    final Map<String, String> members = new java.util.LinkedHashMap<>();

    @BeforeEach
    void world() throws Exception {
        w = new WindowFixture(db, patches);
        Files.delete(patches.resolve("patch-2300-05-0.sql"));
        Files.delete(patches.resolve("patch-2300-06-0.sql"));
        // Pending cold on every member: 2300-01-0 (a new table bugtag), 2300-02-0 (bug.heat), 2300-04-0.
        members.put("m1", db.name());
        for (String m : List.of("m2", "m3")) {
            String name = db.name() + "_" + m;
            try (Connection c = TestDatabase.admin();
                    Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + name);
            }
            w.extraDatabases.add(name);
            w.loadBaseline(url(name) + "?user=postgres");
            members.put(m, name);
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        w.close();
    }

    private String url(String database) {
        return db.url().replaceAll("\\?.*$", "").replace("/" + db.name(), "/" + database);
    }

    /** The three members, listed. */
    private List<FleetSettings.Member> listed() {
        return members.entrySet().stream()
                .map(e -> new FleetSettings.Member(e.getKey(), url(e.getValue())))
                .toList();
    }

    private void fleet(FleetMode mode, FailurePolicy policy, int parallelism, List<String> canary) throws Exception {
        run(new FleetSettings("shards", "test", listed(), null, null, canary, parallelism, policy, mode), true);
    }

    /** Waits (up to 30 s) until the fleet's status says {@code what}. */
    private static void awaitStatus(
            FleetDowntimeWorkflow f, java.util.function.Predicate<FleetStatus> what, String said) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!what.test(f.status())) {
            assertTrue(System.nanoTime() < deadline, said + ": " + f.status());
            Thread.sleep(20);
        }
    }

    /** The worker started with {@code fleet}; with {@code approved}, the three pending patches approved for it. */
    private void run(FleetSettings fleet, boolean approved) throws Exception {
        w.fleets.put("shards", fleet);
        w.start(false);
        if (!approved) {
            return;
        }
        Ledgers.record(
                Ledgers.ensure(w.client(), "test", WindowFixture.QUEUE),
                ApprovalLedgerTest.named(LedgerWord.QA_OK, "alice", "fleet QA", "2300-01-0", "2300-02-0", "2300-04-0"));
    }

    private FleetDowntimeWorkflow start(String id) {
        FleetDowntimeWorkflow f = w.client()
                .newWorkflowStub(
                        FleetDowntimeWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setTaskQueue(WindowFixture.QUEUE)
                                .setWorkflowId(id)
                                .build());
        WorkflowClient.start(f::run, new FleetDowntimeRequest("shards", null));
        return f;
    }

    /** The member's own database already has the table 2300-01-0 creates: its bundle fails there. */
    private void breakMember(String member) throws Exception {
        exec(members.get(member), "CREATE TABLE bugtag (id integer)");
    }

    private long scalar(String database, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url(database) + "?user=postgres");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void exec(String database, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url(database) + "?user=postgres");
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private boolean patched(String member) throws Exception {
        return scalar(
                        members.get(member),
                        "SELECT count(*) FROM information_schema.columns"
                                + " WHERE table_name = 'bug' AND column_name = 'heat'")
                == 1;
    }

    private void assertEveryGateOpenAndNothingPrepared() throws Exception {
        for (String d : members.values()) {
            TestDatabase.assertGateOpenAndNothingPrepared(d);
        }
    }

    private static Map<String, MemberState> states(List<MemberOutcome> outcomes) {
        return outcomes.stream()
                .collect(Collectors.toMap(
                        MemberOutcome::member, MemberOutcome::state, (a, b) -> a, java.util.TreeMap::new));
    }

    @Test
    void wavesFleetWithAFailingMemberStopsAndReportsPartial() throws Exception {
        fleet(FleetMode.WAVES, FailurePolicy.STOP, 1, List.of("m1"));
        breakMember("m2");
        FleetDowntimeWorkflow f = start("fleet-waves-partial");
        FleetResult r = WorkflowStub.fromTyped(f).getResult(FleetResult.class);

        assertEquals(FleetStage.PARTIAL, r.stage(), r.message());
        assertEquals(
                Map.of("m1", MemberState.COMMITTED, "m2", MemberState.FAILED, "m3", MemberState.NOT_STARTED),
                states(r.members()),
                "the canary committed, m2 failed, the wave after it did not start");
        MemberOutcome m2 = r.members().stream()
                .filter(o -> o.member().equals("m2"))
                .findFirst()
                .orElseThrow();
        assertEquals("PATCH_FAILED", m2.failureType(), m2.message());
        assertTrue(patched("m1"), "the canary has the bundle");
        assertTrue(!patched("m2") && !patched("m3"), "the failed member and the one not started are unchanged");
        assertEquals(
                3,
                scalar(
                        members.get("m1"),
                        "SELECT count(*) FROM LaunchpadDatabaseRevision WHERE major = 2300"
                                + " AND minor IN (1, 2, 4)"),
                "m1 recorded the three patches");
        assertEquals(
                0,
                scalar(
                        members.get("m2"),
                        "SELECT count(*) FROM LaunchpadDatabaseRevision WHERE major = 2300"
                                + " AND minor IN (1, 2, 4)"),
                "m2 recorded none");
        assertEveryGateOpenAndNothingPrepared();
        FleetStatus status = f.status();
        assertTrue(r.message().contains("m2"), "the partial ending names the failed member: " + r.message());
        assertEquals(FleetStage.PARTIAL, status.stage());
    }

    @Test
    void atomicFleetWithAFailingMemberLeavesEveryMemberUnchanged() throws Exception {
        fleet(FleetMode.ATOMIC, FailurePolicy.STOP, 2, List.of());
        breakMember("m3");
        FleetDowntimeWorkflow f = start("fleet-atomic-rollback");
        WorkflowFailedException e = org.junit.jupiter.api.Assertions.assertThrows(
                WorkflowFailedException.class, () -> WorkflowStub.fromTyped(f).getResult(FleetResult.class));
        ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, e.getCause());
        assertEquals("PATCH_FAILED", cause.getType(), cause.getOriginalMessage());
        assertTrue(cause.getOriginalMessage().contains("rolled back on every member"), cause.getOriginalMessage());

        for (String m : members.keySet()) {
            assertTrue(!patched(m), m + " is unchanged");
        }
        assertEveryGateOpenAndNothingPrepared();
        FleetStatus status = f.status();
        assertTrue(status.decision().startsWith("ROLLBACK"), status.decision());
        Map<String, MemberState> states = states(status.members());
        assertEquals(MemberState.FAILED, states.get("m3"));
        assertTrue(
                states.values().stream().noneMatch(s -> s == MemberState.COMMITTED), "no member committed: " + states);
    }

    @Test
    void atomicFleetCommitsEveryMemberOnceAllPrepared() throws Exception {
        fleet(FleetMode.ATOMIC, FailurePolicy.STOP, 2, List.of());
        FleetDowntimeWorkflow f = start("fleet-atomic-commit");
        FleetResult r = WorkflowStub.fromTyped(f).getResult(FleetResult.class);

        assertEquals(FleetStage.DONE, r.stage(), r.message());
        assertEquals(
                Map.of("m1", MemberState.COMMITTED, "m2", MemberState.COMMITTED, "m3", MemberState.COMMITTED),
                states(r.members()));
        for (String m : members.keySet()) {
            assertTrue(patched(m), m + " has the bundle");
        }
        assertEveryGateOpenAndNothingPrepared();
        assertTrue(f.status().decision().startsWith("COMMIT"), f.status().decision());
        assertTrue(
                r.longestOutageMillis() > 0, "the fleet's outage is its longest member's: " + r.longestOutageMillis());
    }

    @Test
    void catalogMembersAtDifferentRevisionsEachGetWhatTheyLack() throws Exception {
        exec(members.get("m1"), "CREATE TABLE fleet_catalog (name text, url text)");
        for (var e : members.entrySet()) {
            exec(
                    members.get("m1"),
                    "INSERT INTO fleet_catalog VALUES ('" + e.getKey() + "', '" + url(e.getValue()) + "')");
        }
        // m2 is ahead: an earlier window applied 2300-01-0 there.
        w.applyTo(url(members.get("m2")) + "?user=postgres", "earlier-window", "2300-01-0");
        run(
                new FleetSettings(
                        "shards",
                        "test",
                        List.of(),
                        null,
                        new FleetSettings.Catalog(
                                url(members.get("m1")), "SELECT name, url FROM fleet_catalog ORDER BY name"),
                        List.of("m1"),
                        2,
                        FailurePolicy.STOP,
                        FleetMode.WAVES),
                true);
        FleetResult r = WorkflowStub.fromTyped(start("fleet-catalog")).getResult(FleetResult.class);

        assertEquals(FleetStage.DONE, r.stage(), r.message());
        Map<String, List<String>> applied = r.members().stream()
                .collect(Collectors.toMap(
                        MemberOutcome::member,
                        o -> o.applied().stream().map(Object::toString).toList(),
                        (a, b) -> a,
                        java.util.TreeMap::new));
        assertEquals(
                Map.of(
                        "m1", List.of("2300-01-0", "2300-02-0", "2300-04-0"),
                        "m2", List.of("2300-02-0", "2300-04-0"),
                        "m3", List.of("2300-01-0", "2300-02-0", "2300-04-0")),
                applied,
                "the catalog's three members, each applying what it lacked");
        for (String m : members.keySet()) {
            assertTrue(patched(m), m + " has the bundle");
        }
        assertEveryGateOpenAndNothingPrepared();
    }

    @Test
    void failurePolicyContinueGoesOnPastAFailedMember() throws Exception {
        fleet(FleetMode.WAVES, FailurePolicy.CONTINUE, 1, List.of("m1"));
        breakMember("m2");
        FleetResult r = WorkflowStub.fromTyped(start("fleet-continue")).getResult(FleetResult.class);

        assertEquals(FleetStage.PARTIAL, r.stage(), r.message());
        assertEquals(
                Map.of("m1", MemberState.COMMITTED, "m2", MemberState.FAILED, "m3", MemberState.COMMITTED),
                states(r.members()));
        assertTrue(patched("m3") && !patched("m2"), "m3 went on, m2 is unchanged");
        assertEveryGateOpenAndNothingPrepared();
    }

    @Test
    void anAbortWhileQaWaitsEndsTheFleetWithNothingChanged() throws Exception {
        run(
                new FleetSettings(
                        "shards", "test", listed(), null, null, List.of(), 2, FailurePolicy.STOP, FleetMode.ATOMIC),
                false);
        FleetDowntimeWorkflow f = start("fleet-abort");
        awaitStatus(f, x -> x.stage() == FleetStage.AWAITING_QA, "the fleet waits for QA");
        f.abort(new org.fastdowntime.model.AbortSignal("not this week", "mallory"));
        f.abort(new org.fastdowntime.model.AbortSignal("not this week", "bob"));
        WorkflowFailedException e = org.junit.jupiter.api.Assertions.assertThrows(
                WorkflowFailedException.class, () -> WorkflowStub.fromTyped(f).getResult(FleetResult.class));
        assertEquals(
                "ABORTED",
                assertInstanceOf(ApplicationFailure.class, e.getCause()).getType());
        FleetStatus status = f.status();
        assertEquals(FleetStage.ABORTED, status.stage());
        assertTrue(
                status.timeline().stream().anyMatch(t -> t.message().contains("mallory refused")),
                "an abort by someone who may not is refused and said");
        for (String m : members.keySet()) {
            assertTrue(!patched(m), m + " is unchanged");
        }
        assertEveryGateOpenAndNothingPrepared();
        assertEquals(
                0,
                scalar(members.get("m1"), "SELECT count(*) FROM fastdowntime.window_claims"),
                "every member's claim was given back");
    }

    @Test
    void anAbortDuringTheWavesRollsTheRunningMemberBackAndStartsNoOther() throws Exception {
        // Each member's outage runs for a while: the abort lands while m1's runs.
        // (longer than the activity's heartbeat throttle, 0.8 × 3 s, which bounds how late a cancellation arrives).
        Files.writeString(patches.resolve("patch-2300-07-0.sql"), "SELECT pg_sleep(4) FROM bug LIMIT 1;\n");
        run(
                new FleetSettings(
                        "shards", "test", listed(), null, null, List.of("m1"), 1, FailurePolicy.STOP, FleetMode.WAVES),
                true);
        Ledgers.record(
                Ledgers.ensure(w.client(), "test", WindowFixture.QUEUE),
                ApprovalLedgerTest.named(LedgerWord.QA_OK, "alice", "fleet QA", "2300-07-0"));
        FleetDowntimeWorkflow f = start("fleet-abort-waves");
        awaitStatus(f, x -> states(x.members()).get("m1") == MemberState.RUNNING, "m1's outage runs");
        f.abort(new org.fastdowntime.model.AbortSignal("a shard is migrating", "bob"));
        WorkflowFailedException e = org.junit.jupiter.api.Assertions.assertThrows(
                WorkflowFailedException.class, () -> WorkflowStub.fromTyped(f).getResult(FleetResult.class));
        assertEquals(
                "ABORTED",
                assertInstanceOf(ApplicationFailure.class, e.getCause()).getType());
        assertEquals(
                Map.of("m1", MemberState.FAILED, "m2", MemberState.NOT_STARTED, "m3", MemberState.NOT_STARTED),
                states(f.status().members()));
        for (String m : members.keySet()) {
            assertTrue(!patched(m), m + " is unchanged");
        }
        assertEveryGateOpenAndNothingPrepared();
    }

    @Test
    void anApprovalGivenWhileTheFleetWaitsCountsWhenTheFleetIsTold() throws Exception {
        run(
                new FleetSettings(
                        "shards", "test", listed(), null, null, List.of(), 3, FailurePolicy.STOP, FleetMode.WAVES),
                false);
        FleetDowntimeWorkflow f = start("fleet-told");
        awaitStatus(f, x -> x.waiting().size() == 3, "the fleet waits for QA on three patches");
        assertEquals(FleetStage.AWAITING_QA, f.status().stage());
        Ledgers.record(
                Ledgers.ensure(w.client(), "test", WindowFixture.QUEUE),
                ApprovalLedgerTest.named(LedgerWord.QA_OK, "alice", "fleet QA", "2300-01-0", "2300-02-0", "2300-04-0"));
        f.ledgerChanged(); // as approve does for every running fleet window

        FleetResult r = WorkflowStub.fromTyped(f).getResult(FleetResult.class);
        assertEquals(FleetStage.DONE, r.stage(), r.message());
        for (String m : members.keySet()) {
            assertTrue(patched(m), m + " has the bundle");
        }
    }

    @Test
    void aSecondFleetWindowIsRefusedWhileTheFirstHoldsItsMembers() throws Exception {
        run(
                new FleetSettings(
                        "shards", "test", listed(), null, null, List.of(), 3, FailurePolicy.STOP, FleetMode.WAVES),
                false);
        FleetDowntimeWorkflow first = start("fleet-first");
        awaitStatus(first, x -> x.stage() == FleetStage.AWAITING_QA, "the first fleet window holds its members");
        FleetDowntimeWorkflow second = start("fleet-second");
        WorkflowFailedException e = org.junit.jupiter.api.Assertions.assertThrows(
                WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(second).getResult(FleetResult.class));
        ApplicationFailure refused = assertInstanceOf(ApplicationFailure.class, e.getCause());
        assertEquals("WINDOW_BUSY", refused.getType(), refused.getOriginalMessage());
        assertTrue(refused.getOriginalMessage().contains("fleet-first"), refused.getOriginalMessage());
        assertEquals(FleetStage.AWAITING_QA, first.status().stage(), "the first window goes on");
        first.abort(new org.fastdowntime.model.AbortSignal("test over", "alice"));
        org.junit.jupiter.api.Assertions.assertThrows(
                WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(first).getResult(FleetResult.class));
    }
}
