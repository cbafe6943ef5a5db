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
import org.fastdowntime.worker.WorkerRuntime;
import org.fastdowntime.worker.config.WorkerConfig;

/**
 * The embedded Temporal service on a free loopback port, a real worker polling it with the given
 * environments, and a client: the world the benchmarks (and the tests that need a worker of their
 * own) run windows in. Closing it shuts the worker down.
 */
public final class LocalTemporal implements AutoCloseable {
    private final String target;
    private final WorkerRuntime worker;
    private final WorkflowClient client;
    private final TemporalCli real;

    /** A world whose worker polls {@code target}, with a client of its own there. */
    private LocalTemporal(String target, WorkerRuntime worker, TemporalCli real) {
        this.target = target;
        this.worker = worker;
        this.client = WorkflowClient.newInstance(WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(target).build()));
        this.real = real;
    }

    public static LocalTemporal start(String queue, Map<String, EnvironmentSettings> environments) throws IOException {
        DevServer server = DevServer.start(0);
        return new LocalTemporal(server.target(), worker(server.target(), queue, environments, server), null);
    }

    /**
     * The same world on the real server ({@code temporal server start-dev}, headless, with its HTTP
     * API) when this machine has the Temporal CLI, else on the embedded service.
     */
    public static LocalTemporal startReal(String queue, Map<String, EnvironmentSettings> environments)
            throws IOException, InterruptedException {
        java.util.Optional<java.nio.file.Path> cli = TemporalCli.find();
        if (cli.isEmpty()) {
            return start(queue, environments);
        }
        TemporalCli server = TemporalCli.start(cli.get(), false, null);
        try {
            return new LocalTemporal(server.target(), worker(server.target(), queue, environments, null), server);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static WorkerRuntime worker(
            String target, String queue, Map<String, EnvironmentSettings> environments, DevServer embedded) {
        return WorkerRuntime.start(
                new WorkerConfig(TemporalSettings.of(null, "default", queue), environments),
                target,
                "default",
                queue,
                embedded);
    }

    /** Where the service answers, host:port. */
    public String target() {
        return target;
    }

    /** Where the real server's HTTP API answers, or null on the embedded service (it has none). */
    public String httpTarget() {
        return real == null ? null : real.httpTarget();
    }

    public WorkflowClient client() {
        return client;
    }

    @Override
    public void close() {
        worker.shutdown(Duration.ofSeconds(10));
        if (real != null) {
            real.close();
        }
    }
}
