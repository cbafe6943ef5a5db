package org.fastdowntime.cli;

import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.common.converter.GlobalDataConverter;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import org.fastdowntime.downtime.DowntimeSearchAttributes;
import org.fastdowntime.model.ProblemType;

/**
 * What {@code start} waits for before it exits: the window has claimed its environment and resolved its patches
 * (its stage moved past STARTING, as its search attribute shows), or it ended at once. A window refused at
 * start — another window of the environment is running, the environment is unknown, the set is invalid — makes
 * the command fail with the window's own reason, so a script or a person knows at once. Asked of Temporal by
 * describing the execution, so it needs no worker to answer a query.
 */
final class StartedWindow {
    private StartedWindow() {}

    /**
     * {@code --at} as given: null for {@code now}; refused (exit 2) when it is not a time with its offset, or is
     * already past.
     */
    static java.time.Instant at(String at) {
        if (at.equalsIgnoreCase("now")) {
            return null;
        }
        java.time.Instant when;
        try {
            when = java.time.OffsetDateTime.parse(at).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new CommandFailure(
                    ProblemType.BAD_ARGUMENTS, "--at: not a time with its offset, e.g. 2026-12-07T08:30:00Z: " + at);
        }
        if (when.isBefore(java.time.Instant.now())) {
            throw new CommandFailure(
                    ProblemType.BAD_ARGUMENTS,
                    "--at " + at + " is in the past (it is "
                            + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                            + "); give a time ahead, or 'now'");
        }
        return when;
    }

    /** How the CLI starts a window: its id, the task queue, an id reusable only after a failure, what the UI shows. */
    static io.temporal.client.WorkflowOptions options(
            TemporalOptions temporal, String id, String summary, String details) {
        return io.temporal.client.WorkflowOptions.newBuilder()
                .setTaskQueue(temporal.taskQueue())
                .setWorkflowId(id)
                .setWorkflowIdReusePolicy(
                        io.temporal.api.enums.v1.WorkflowIdReusePolicy
                                .WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY)
                .setStaticSummary(summary)
                .setStaticDetails(details)
                .build();
    }

    /**
     * A window just started: its id printed, then its start awaited. A window refused at its start fails the command
     * with its reason (the id still names it for {@code status}); one no worker took up is said. Returns whether a
     * worker took it up.
     */
    static boolean announceStart(TemporalOptions temporal, String id, picocli.CommandLine cl) {
        cl.getOut().println(id);
        cl.getOut().flush();
        String note = temporal.call(
                id, () -> await(temporal.client(), temporal.namespace(), id, java.time.Duration.ofSeconds(15)));
        if (note != null) {
            cl.getErr().println(note);
        }
        return note == null;
    }

    /**
     * Returns normally once the window runs past its start or completed; throws a {@link CommandFailure}
     * (WINDOW_FAILED) when it failed at once. After {@code wait} without a worker taking it up, returns the note to
     * print.
     */
    static String await(WorkflowClient client, String namespace, String id, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            WorkflowExecutionInfo info = client.getWorkflowServiceStubs()
                    .blockingStub()
                    .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace(namespace)
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
                            .build())
                    .getWorkflowExecutionInfo();
            WorkflowExecutionStatus status = info.getStatus();
            if (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED) {
                throw new CommandFailure(
                        ProblemType.WINDOW_FAILED, id + " failed at its start: " + failure(client, id));
            }
            if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING || pastStart(info)) {
                return null;
            }
            if (System.nanoTime() > deadline) {
                return "no worker has taken " + id + " up within " + wait.toSeconds()
                        + " s: is a worker running on its task queue?";
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    private static boolean pastStart(WorkflowExecutionInfo info) {
        Payload stage = info.getSearchAttributes().getIndexedFieldsMap().get(DowntimeSearchAttributes.STAGE.getName());
        if (stage == null) {
            return false;
        }
        String s = GlobalDataConverter.get().fromPayload(stage, String.class, String.class);
        return s != null && !s.equals("STARTING");
    }

    private static String failure(WorkflowClient client, String id) {
        try {
            client.newUntypedWorkflowStub(id).getResult(Object.class);
            return "no reason given";
        } catch (WorkflowFailedException e) {
            return e.getCause() instanceof ApplicationFailure af
                    ? af.getType() + ": " + af.getOriginalMessage()
                    : String.valueOf(e.getCause().getMessage());
        }
    }

    /**
     * What the window's start takes from its safety leads, as its status says once QA opened (the window plans its
     * leads then); empty when every lead is kept, or when the window does not get that far within {@code wait}.
     */
    static java.util.List<String> shortLeads(org.fastdowntime.fast.FastDowntimeWorkflow window, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            org.fastdowntime.model.FastDowntimeStatus s = window.status();
            if (s.stage().ordinal() >= org.fastdowntime.model.FastStage.AWAITING_QA.ordinal()) {
                return s.warnings().stream()
                        .filter(w -> w.contains("shortened"))
                        .toList();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return java.util.List.of();
    }
}
