package org.fastdowntime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.fastdowntime.downtime.DowntimeSearchAttributes;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.fast.FastDowntimeWorkflowImpl;
import org.fastdowntime.model.EnvironmentPolicy;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.FastDowntimeRequest;
import org.fastdowntime.model.FastDowntimeResult;
import org.fastdowntime.model.FastDowntimeStatus;
import org.fastdowntime.model.FastStage;
import org.fastdowntime.model.Outcome;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchKind;
import org.fastdowntime.model.PreflightReport;
import org.fastdowntime.model.QaSignal;
import org.fastdowntime.model.QaState;
import org.fastdowntime.model.ResolvedPatches;
import org.fastdowntime.model.SealedBundle;
import org.fastdowntime.ports.ApprovalActivities;
import org.fastdowntime.ports.DatabaseActivities;
import org.fastdowntime.ports.OutageActivities;
import org.fastdowntime.ports.WindowActivities;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fast window's branches with its activity ports mocked, on Temporal's in-memory server with time skipping:
 * no database, no files, seconds for the whole class. What the activities really do is tested against PostgreSQL
 * elsewhere; here, what the workflow decides from what they answer.
 */
@Tag("mocked")
class FastWindowBranchesTest {
    private static final String ENV = "test";
    private static final PatchId PATCH = PatchId.parse("2300-01-0");
    private static final PatchCandidate CANDIDATE =
            new PatchCandidate(PATCH, "patch-2300-01-0.sql", "a".repeat(64), PatchKind.COLD, null, "Carol");
    /** The mocked environment's people and budgets (the fleet member's branches use them too). */
    static final EnvironmentPolicy POLICY = new EnvironmentPolicy(
            ENV,
            List.of("alice", "bob"),
            List.of("francis"),
            false,
            Duration.ofSeconds(60),
            Duration.ofMinutes(5),
            Duration.ofHours(1),
            Duration.ofMinutes(30),
            Duration.ofSeconds(30),
            Duration.ofMinutes(5),
            Duration.ofMinutes(1),
            null,
            null);

    @RegisterExtension
    static final TestWorkflowExtension temporal = TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(FastDowntimeWorkflowImpl.class)
            .registerSearchAttribute(
                    DowntimeSearchAttributes.STAGE.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
            .registerSearchAttribute(
                    DowntimeSearchAttributes.WINDOW.getName(), IndexedValueType.INDEXED_VALUE_TYPE_DATETIME)
            .registerSearchAttribute(
                    DowntimeSearchAttributes.ENVIRONMENT.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
            .registerSearchAttribute(
                    DowntimeSearchAttributes.OUTCOME.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
            .setDoNotStart(true)
            .build();

    private final DatabaseActivities db =
            mock(DatabaseActivities.class, withSettings().withoutAnnotations());
    private final OutageActivities outage =
            mock(OutageActivities.class, withSettings().withoutAnnotations());
    private final WindowActivities window =
            mock(WindowActivities.class, withSettings().withoutAnnotations());
    /** An empty approval ledger: the verdicts of these tests are the signals they send. */
    private final ApprovalActivities approvals =
            mock(ApprovalActivities.class, withSettings().withoutAnnotations());

    @BeforeEach
    void ports(TestWorkflowEnvironment env, Worker worker) {
        when(db.loadPolicy(ENV)).thenReturn(POLICY);
        when(db.resolvePatches(anyString(), anyList())).thenReturn(new ResolvedPatches(List.of(CANDIDATE), List.of()));
        when(db.preflight(ENV)).thenReturn(new PreflightReport(List.of("the gate can close")));
        when(window.quiesce(ENV)).thenReturn(List.of());
        when(window.resume(ENV)).thenReturn(List.of());
        when(window.postChecks(ENV)).thenReturn(List.of("post-check passed"));
        worker.registerActivitiesImplementations(db, outage, window, approvals);
        env.start();
    }

    private static SealedBundle sealed(List<PatchCandidate> patches, List<SealedBundle.Deferral> deferred) {
        return new SealedBundle(
                patches.stream()
                        .map(p -> new SealedBundle.SealedFile(p.id(), p.file(), p.sha256()))
                        .toList(),
                List.of(),
                "g".repeat(64),
                "b".repeat(64),
                "mocked",
                deferred);
    }

    private static FastDowntimeWorkflow start(WorkflowClient client, WorkflowOptions options, String id) {
        FastDowntimeWorkflow w = client.newWorkflowStub(
                FastDowntimeWorkflow.class,
                options.toBuilder().setWorkflowId(id).build());
        WorkflowClient.start(w::run, new FastDowntimeRequest(ENV, null, List.of(PATCH.toString())));
        return w;
    }

    @Test
    void noApprovalByTheDeadlineSkipsTheWindowAndTouchesNothing(WorkflowClient client, WorkflowOptions options) {
        FastDowntimeWorkflow w = start(client, options, "fdt-mocked-no-qa");
        FastDowntimeResult r = WorkflowStub.fromTyped(w).getResult(FastDowntimeResult.class);
        assertEquals(Outcome.SKIPPED, r.outcome());
        assertEquals(List.of(PATCH), r.deferred());
        FastDowntimeStatus s = w.status();
        assertEquals(FastStage.SKIPPED, s.stage());
        assertEquals(QaState.DEFERRED, s.patches().get(0).state());
        verify(db, never()).sealBundle(anyString(), anyList(), anyBoolean());
        verify(outage, never()).outage(any());
        verify(window, never()).quiesce(anyString());
    }

    @Test
    void aBundleWhoseEveryPatchFailsItsRehearsalHasNoOutage(WorkflowClient client, WorkflowOptions options) {
        when(db.sealBundle(anyString(), anyList(), anyBoolean()))
                .thenReturn(sealed(
                        List.of(), List.of(new SealedBundle.Deferral(PATCH, "relation \"bugtag\" does not exist"))));
        FastDowntimeWorkflow w = start(client, options, "fdt-mocked-all-deferred");
        w.qaOk(new QaSignal(PATCH.toString(), "alice", "fine", null));
        FastDowntimeResult r = WorkflowStub.fromTyped(w).getResult(FastDowntimeResult.class);
        assertEquals(Outcome.SKIPPED, r.outcome());
        assertEquals(List.of(PATCH), r.deferred());
        assertEquals(QaState.DEFERRED, w.status().patches().get(0).state());
        assertTrue(w.status().patches().get(0).note().contains("bugtag"), "the author reads why");
        verify(outage, never()).outage(any());
        verify(window, never()).quiesce(anyString());
    }

    @Test
    void aConnectionLostAroundCommitIsAskedOfTheDatabaseAndWhatCommittedIsApplied(
            TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options) throws Exception {
        when(db.sealBundle(anyString(), anyList(), anyBoolean())).thenReturn(sealed(List.of(CANDIDATE), List.of()));
        when(outage.outage(any()))
                .thenThrow(ApplicationFailure.newNonRetryableFailure(
                        "connection lost during COMMIT", FailureType.DATABASE_UNREACHABLE.name()));
        when(db.appliedBy(anyString(), anyString())).thenReturn(List.of(PATCH));
        FastDowntimeWorkflow w = start(client, options, "fdt-asked-what-committed");
        w.qaOk(new QaSignal(PATCH.toString(), "alice", "fine", null));
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class, () -> WorkflowStub.fromTyped(w).getResult(FastDowntimeResult.class));
        ApplicationFailure af = assertInstanceOf(ApplicationFailure.class, e.getCause());
        assertEquals(FailureType.DATABASE_UNREACHABLE.name(), af.getType());
        FastDowntimeStatus s = w.status();
        assertEquals(FastStage.FAILED, s.stage());
        assertEquals(FailureType.DATABASE_UNREACHABLE, s.failureType());
        assertEquals(QaState.APPLIED, s.patches().get(0).state(), "what the database recorded is applied");
        assertTrue(
                s.message().contains("2300-01-0 applied and recorded")
                        && !s.message().contains("rolled back"),
                s.message());
        verify(window).postChecks(ENV);
        verify(outage).reopenGate(anyString(), anyString());
        Histories.replayAndRecord(client, "fdt-asked-what-committed");
    }

    @Test
    void aSecondWindowForABusyEnvironmentFailsBeforeAnythingIsTouched(WorkflowClient client, WorkflowOptions options) {
        org.mockito.Mockito.doThrow(ApplicationFailure.newNonRetryableFailure(
                        "test is held by window fdt-first", FailureType.WINDOW_BUSY.name()))
                .when(db)
                .claimEnvironment(ENV, "fdt-mocked-busy");
        FastDowntimeWorkflow w = start(client, options, "fdt-mocked-busy");
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class, () -> WorkflowStub.fromTyped(w).getResult(FastDowntimeResult.class));
        assertEquals(
                FailureType.WINDOW_BUSY.name(),
                assertInstanceOf(ApplicationFailure.class, e.getCause()).getType());
        assertEquals(FailureType.WINDOW_BUSY, w.status().failureType());
        verify(db, never()).resolvePatches(anyString(), anyList());
        verify(window, never()).quiesce(anyString());
        verify(db, never()).releaseEnvironment(anyString(), anyString());
    }

    @Test
    void anAbortBeforeTheOutageResumesWhatWasQuiescedAndChangesNothing(
            TestWorkflowEnvironment env, WorkflowClient client, WorkflowOptions options) {
        when(db.sealBundle(anyString(), anyList(), anyBoolean())).thenReturn(sealed(List.of(CANDIDATE), List.of()));
        FastDowntimeWorkflow w = client.newWorkflowStub(
                FastDowntimeWorkflow.class,
                options.toBuilder().setWorkflowId("fdt-mocked-abort").build());
        Instant at = Instant.ofEpochMilli(env.currentTimeMillis()).plus(Duration.ofHours(2));
        WorkflowClient.start(w::run, new FastDowntimeRequest(ENV, at.toString(), List.of(PATCH.toString())));
        w.qaOk(new QaSignal(PATCH.toString(), "alice", "fine", null));
        // Within the quiesce lead (30 minutes), before the preflight (5): background jobs are quiesced, the gate open.
        env.sleep(Duration.ofMinutes(100));
        w.abort(new org.fastdowntime.model.AbortSignal("a release is being cut", "francis"));
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class, () -> WorkflowStub.fromTyped(w).getResult(FastDowntimeResult.class));
        assertEquals(
                FailureType.ABORTED.name(),
                assertInstanceOf(ApplicationFailure.class, e.getCause()).getType());
        verify(window).quiesce(ENV);
        verify(window).resume(ENV);
        verify(outage, never()).outage(any());
        assertEquals(FastStage.ABORTED, w.status().stage());
    }

    @Test
    void aRejectedPatchStaysRejectedWhenSomeoneElseSaysQaOk(WorkflowClient client, WorkflowOptions options)
            throws Exception {
        FastDowntimeWorkflow w = start(client, options, "fdt-qa-edges");
        w.qaBad(new QaSignal(PATCH.toString(), "bob", null, "slow on qastaging"));
        w.qaOk(new QaSignal(PATCH.toString(), "alice", "fine", null));
        FastDowntimeResult r = WorkflowStub.fromTyped(w).getResult(FastDowntimeResult.class);
        assertEquals(Outcome.SKIPPED, r.outcome());
        FastDowntimeStatus s = w.status();
        assertEquals(QaState.REJECTED, s.patches().get(0).state());
        var refused = s.signals().get(s.signals().size() - 1);
        assertEquals("qaOk", refused.signal());
        assertTrue(!refused.accepted() && refused.reason().contains("was rejected by bob"), refused.toString());
        verify(outage, never()).outage(any());
        Histories.replayAndRecord(client, "fdt-qa-edges");
    }
}
