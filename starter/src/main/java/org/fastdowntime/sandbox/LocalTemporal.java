package org.fastdowntime.sandbox;

import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.worker.DevServer;
import org.fastdowntime.worker.TemporalSettings;
import org.fastdowntime.worker.WorkerConfig;
import org.fastdowntime.worker.WorkerRuntime;

/**
 * The embedded Temporal service on a free loopback port, a real worker polling it with the given
 * environments, and a client: the world the benchmarks (and the tests that need a worker of their
 * own) run windows in. Closing it shuts the worker down.
 */
public final class LocalTemporal implements AutoCloseable {
    private final String target;
    private final WorkerRuntime worker;
    private final WorkflowClient client;

    private LocalTemporal(String target, WorkerRuntime worker, WorkflowClient client) {
        this.target = target;
        this.worker = worker;
        this.client = client;
    }

    public static LocalTemporal start(String queue, Map<String, EnvironmentSettings> environments) throws IOException {
        DevServer server = DevServer.start(0);
        WorkerRuntime worker = WorkerRuntime.start(
                new WorkerConfig(TemporalSettings.of(null, "default", queue), environments),
                server.target(),
                "default",
                queue,
                server);
        WorkflowClient client =
                WorkflowClient.newInstance(WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                        .setTarget(server.target())
                        .build()));
        return new LocalTemporal(server.target(), worker, client);
    }

    /** Where the embedded service answers, host:port. */
    public String target() {
        return target;
    }

    public WorkflowClient client() {
        return client;
    }

    @Override
    public void close() {
        worker.shutdown(Duration.ofSeconds(10));
    }
}
