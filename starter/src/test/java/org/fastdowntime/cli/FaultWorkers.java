package org.fastdowntime.cli;

import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.file.Path;
import org.fastdowntime.approval.ApprovalLedgerWorkflow;
import org.fastdowntime.worker.DevServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the real-fault tests share: the embedded Temporal service for the test class (a JUnit extension), its
 * client, and worker JVMs with a fail point armed.
 */
final class FaultWorkers implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private final String environment;
    private DevServer server;
    private WorkflowClient client;

    /** @param environment the tests' environment, whose approval ledger is ended after each test */
    FaultWorkers(String environment) {
        this.environment = environment;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = DevServer.start(0);
        client =
                WorkflowClient.newInstance(WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                        .setTarget(server.target())
                        .build()));
    }

    /**
     * The service outlives each test, and so would the environment's approval ledger, on the task queue of a worker
     * that is gone: the next test's window would wait for it. It is terminated after each test.
     */
    @Override
    public void afterEach(ExtensionContext context) {
        try {
            client.newUntypedWorkflowStub(ApprovalLedgerWorkflow.workflowId(environment))
                    .terminate("test over");
        } catch (io.temporal.client.WorkflowNotFoundException | io.temporal.client.WorkflowFailedException none) {
            // no window of this test reached QA
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }

    WorkflowClient client() {
        return client;
    }

    String target() {
        return server.target();
    }

    /**
     * Worker {@code n}: a JVM on {@code dir/worker.yaml} against {@code target}, its output in {@code
     * dir/worker-N.log}; with {@code failPoint}, it stops there (and says so in {@code dir/POINT.reached}), for
     * {@code hold} when given.
     */
    static Process start(Path dir, int n, String target, String failPoint, String hold) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(
                TestJvm.argv("worker", "--config", dir.resolve("worker.yaml").toString(), "--target", target));
        pb.redirectErrorStream(true)
                .redirectOutput(dir.resolve("worker-" + n + ".log").toFile());
        pb.environment().remove("FASTDOWNTIME_FAILPOINT");
        if (failPoint != null) {
            pb.environment().put("FASTDOWNTIME_FAILPOINT", failPoint);
            pb.environment().put("FASTDOWNTIME_FAILPOINT_DIR", dir.toString());
            if (hold != null) {
                pb.environment().put("FASTDOWNTIME_FAILPOINT_HOLD", hold);
            }
        }
        return pb.start();
    }
}
