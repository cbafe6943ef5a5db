package org.fastdowntime.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.worker.WorkerConfig;
import picocli.CommandLine.Option;

/** Where Temporal is: flags, else TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE / TEMPORAL_TASK_QUEUE, else the local defaults. */
final class TemporalOptions {
  @Option(names = "--target", paramLabel = "HOST:PORT",
      description = "Temporal frontend (default: $TEMPORAL_ADDRESS or 127.0.0.1:7233).")
  String target;

  @Option(names = "--namespace", paramLabel = "NS", description = "Namespace (default: $TEMPORAL_NAMESPACE or default).")
  String namespace;

  @Option(names = "--task-queue", paramLabel = "QUEUE",
      description = "Task queue of the workers (default: $TEMPORAL_TASK_QUEUE or fastdowntime).")
  String taskQueue;

  String target() {
    return resolve(WorkerConfig.Temporal.defaults()).target();
  }

  String namespace() {
    return resolve(WorkerConfig.Temporal.defaults()).namespace();
  }

  String taskQueue() {
    return resolve(WorkerConfig.Temporal.defaults()).taskQueue();
  }

  /** Flags win, then TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE / TEMPORAL_TASK_QUEUE, then {@code fallback}. */
  WorkerConfig.Temporal resolve(WorkerConfig.Temporal fallback) {
    return new WorkerConfig.Temporal(
        first(target, System.getenv("TEMPORAL_ADDRESS"), fallback.target()),
        first(namespace, System.getenv("TEMPORAL_NAMESPACE"), fallback.namespace()),
        first(taskQueue, System.getenv("TEMPORAL_TASK_QUEUE"), fallback.taskQueue()));
  }

  WorkflowClient client() {
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
        .setTarget(target())
        .setRpcTimeout(Duration.ofSeconds(10))
        .build());
    return WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace(namespace()).build());
  }

  /** Runs a client call, turning "no server" and "no such workflow" into clean command failures. */
  <T> T call(String workflowId, java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (WorkflowNotFoundException e) {
      throw new CommandFailure(ProblemType.WORKFLOW_NOT_FOUND, "no workflow " + workflowId + " in namespace " + namespace());
    } catch (StatusRuntimeException e) {
      throw translate(e, workflowId);
    } catch (RuntimeException e) {
      Throwable c = e;
      while (c != null) {
        if (c instanceof io.temporal.client.WorkflowExecutionAlreadyStarted) {
          throw new CommandFailure(ProblemType.WINDOW_EXISTS, "a workflow " + workflowId + " already exists");
        }
        if (c instanceof StatusRuntimeException s) {
          throw translate(s, workflowId);
        }
        if (c instanceof WorkflowNotFoundException) {
          throw new CommandFailure(ProblemType.WORKFLOW_NOT_FOUND, "no workflow " + workflowId);
        }
        c = c.getCause();
      }
      throw e;
    }
  }

  private CommandFailure translate(StatusRuntimeException e, String workflowId) {
    Status.Code code = e.getStatus().getCode();
    if (code == Status.Code.ALREADY_EXISTS) {
      return new CommandFailure(ProblemType.WINDOW_EXISTS, "a workflow " + workflowId + " already exists");
    }
    if (code == Status.Code.NOT_FOUND) {
      return new CommandFailure(ProblemType.WORKFLOW_NOT_FOUND, "no workflow " + workflowId + " in namespace "
          + namespace() + " (" + e.getStatus().getDescription() + ")");
    }
    if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
      return new CommandFailure(ProblemType.TEMPORAL_UNREACHABLE, "cannot reach Temporal at " + target()
          + " (start one with './fastdowntime dev-server', or set --target / TEMPORAL_ADDRESS)");
    }
    return new CommandFailure(1, "Temporal refused the call: " + e.getStatus());
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }
}
