package org.fastdowntime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import org.fastdowntime.fleet.FleetMemberWorkflow;
import org.fastdowntime.fleet.FleetMemberWorkflowImpl;
import org.fastdowntime.model.EnvironmentPolicy;
import org.fastdowntime.model.MemberOutcome;
import org.fastdowntime.model.MemberOutcome.MemberState;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PreparedEnd;
import org.fastdowntime.ports.DatabaseActivities;
import org.fastdowntime.ports.OutageActivities;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A fleet member's outage with its ports mocked: after any failure the gate is reopened (and a prepared transaction
 * rolled back), then the member's outcome is what its database recorded, not what the failure suggests.
 */
@Tag("mocked")
class FleetMemberBranchesTest {
    private static final String ENV = "shards/m1";
    private static final String DEPLOYMENT = "fleet-downtime-shards-1/m1";
    private static final EnvironmentPolicy POLICY = FastWindowBranchesTest.POLICY;

    @RegisterExtension
    static final TestWorkflowExtension temporal = TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(FleetMemberWorkflowImpl.class)
            .setDoNotStart(true)
            .build();

    private final DatabaseActivities db =
            mock(DatabaseActivities.class, withSettings().withoutAnnotations());
    private final OutageActivities outage =
            mock(OutageActivities.class, withSettings().withoutAnnotations());

    @BeforeEach
    void ports(TestWorkflowEnvironment env, Worker worker) {
        when(outage.outage(any()))
                .thenThrow(ApplicationFailure.newNonRetryableFailure(
                        "the database stopped answering", "DATABASE_UNREACHABLE"));
        when(outage.finishPrepared(anyString(), anyString(), anyBoolean()))
                .thenReturn(new PreparedEnd("nothing prepared", java.time.Instant.now()));
        worker.registerActivitiesImplementations(db, outage);
        env.start();
    }

    private static MemberOutcome run(WorkflowClient client, WorkflowOptions options, boolean prepare) {
        FleetMemberWorkflow child = client.newWorkflowStub(
                FleetMemberWorkflow.class,
                options.toBuilder().setWorkflowId(DEPLOYMENT).build());
        return child.run(new FleetMemberWorkflow.Request("m1", ENV, DEPLOYMENT, List.of(), null, POLICY, prepare));
    }

    @Test
    void anOutageThatFailedAfterItsCommitIsCountedCommitted(WorkflowClient client, WorkflowOptions options) {
        when(db.appliedBy(ENV, DEPLOYMENT)).thenReturn(List.of(PatchId.parse("2300-02-0")));
        MemberOutcome o = run(client, options, false);
        assertEquals(MemberState.COMMITTED, o.state(), o.toString());
        assertEquals(List.of(PatchId.parse("2300-02-0")), o.applied());
        assertTrue(o.message().contains("committed before DATABASE_UNREACHABLE reached it"), o.message());
        verify(outage).reopenGate(ENV, DEPLOYMENT);
    }

    @Test
    void anOutageThatFailedBeforeCommittingIsAFailedMemberWithItsType(WorkflowClient client, WorkflowOptions options) {
        when(db.appliedBy(ENV, DEPLOYMENT)).thenReturn(List.of());
        MemberOutcome o = run(client, options, false);
        assertEquals(MemberState.FAILED, o.state());
        assertEquals("DATABASE_UNREACHABLE", o.failureType());
        verify(outage).reopenGate(ENV, DEPLOYMENT);
        verify(outage, never()).finishPrepared(anyString(), anyString(), anyBoolean());
    }

    @Test
    void aPreparingOutageThatFailedRollsBackWhatItMayHavePrepared(WorkflowClient client, WorkflowOptions options) {
        when(db.appliedBy(ENV, DEPLOYMENT)).thenReturn(List.of());
        MemberOutcome o = run(client, options, true);
        assertEquals(MemberState.FAILED, o.state());
        verify(outage).finishPrepared(ENV, DEPLOYMENT, false);
        verify(outage, never()).reopenGate(anyString(), anyString());
    }
}
