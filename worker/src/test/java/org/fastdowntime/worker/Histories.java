package org.fastdowntime.worker;

import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fastdowntime.approval.ApprovalLedgerWorkflowImpl;
import org.fastdowntime.calendar.DowntimeCalendarWorkflowImpl;
import org.fastdowntime.fast.FastDowntimeWorkflowImpl;
import org.fastdowntime.monthly.MonthlyDowntimeWorkflowImpl;

/**
 * A workflow's history replayed against today's code, and stored for {@link
 * StoredHistoryReplayTest} when the build runs with {@code -Dfastdowntime.recordHistories=DIR}.
 */
final class Histories {
    private Histories() {}

    static final Class<?>[] WORKFLOWS = {
        FastDowntimeWorkflowImpl.class,
        MonthlyDowntimeWorkflowImpl.class,
        DowntimeCalendarWorkflowImpl.class,
        ApprovalLedgerWorkflowImpl.class
    };

    static void replayAndRecord(WorkflowClient client, String workflowId) throws Exception {
        WorkflowExecutionHistory history = client.fetchHistory(workflowId);
        WorkflowReplayer.replayWorkflowExecution(
                history, WORKFLOWS[0], java.util.Arrays.copyOfRange(WORKFLOWS, 1, WORKFLOWS.length));
        String dir = System.getProperty("fastdowntime.recordHistories");
        if (dir != null) {
            Files.createDirectories(Path.of(dir));
            Files.writeString(Path.of(dir, workflowId + ".json"), history.toJson(true));
        }
    }
}
