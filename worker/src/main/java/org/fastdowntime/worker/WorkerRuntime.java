package org.fastdowntime.worker;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.fastdowntime.approval.ApprovalLedgerWorkflowImpl;
import org.fastdowntime.calendar.DowntimeCalendarWorkflowImpl;
import org.fastdowntime.downtime.DowntimeSearchAttributes;
import org.fastdowntime.fast.FastDowntimeWorkflowImpl;
import org.fastdowntime.monthly.MonthlyDowntimeWorkflowImpl;
import org.fastdowntime.ports.ApprovalActivities;
import org.fastdowntime.ports.DatabaseActivities;
import org.fastdowntime.ports.MonthlyActivities;
import org.fastdowntime.ports.OutageActivities;
import org.fastdowntime.ports.WindowActivities;
import org.fastdowntime.worker.config.WorkerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running worker: the workflows and the activities built from the config, polling one task queue.
 */
public final class WorkerRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerRuntime.class);

    private final WorkflowServiceStubs stubs;
    private final WorkerFactory factory;
    private final DevServer devServer;
    private final Metrics metrics;
    private final WorkerHttp http;
    private final Injector injector;

    private WorkerRuntime(
            WorkflowServiceStubs stubs,
            WorkerFactory factory,
            DevServer devServer,
            Metrics metrics,
            WorkerHttp http,
            Injector injector) {
        this.stubs = stubs;
        this.factory = factory;
        this.devServer = devServer;
        this.metrics = metrics;
        this.http = http;
        this.injector = injector;
    }

    /** The HTTP endpoint's port (metrics and feeds), or -1 when none is configured. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    public Metrics metrics() {
        return metrics;
    }

    /**
     * Registers the workflows and the config's activities on {@code worker}: the one place that lists
     * them.
     */
    public static void register(Worker worker, Injector injector) {
        worker.registerWorkflowImplementationTypes(
                FastDowntimeWorkflowImpl.class,
                MonthlyDowntimeWorkflowImpl.class,
                DowntimeCalendarWorkflowImpl.class,
                ApprovalLedgerWorkflowImpl.class,
                org.fastdowntime.fleet.FleetDowntimeWorkflowImpl.class,
                org.fastdowntime.fleet.FleetMemberWorkflowImpl.class);
        worker.registerActivitiesImplementations(
                injector.getInstance(DatabaseActivities.class),
                injector.getInstance(ApprovalActivities.class),
                injector.getInstance(OutageActivities.class),
                injector.getInstance(WindowActivities.class),
                injector.getInstance(MonthlyActivities.class),
                injector.getInstance(org.fastdowntime.ports.FleetActivities.class));
    }

    /**
     * Options every worker needs: with a sticky schedule-to-start timeout of zero, a restarted worker
     * gets the tasks of workflows the dead one had cached, at once.
     */
    public static WorkerOptions workerOptions() {
        return WorkerOptions.newBuilder()
                .setStickyQueueScheduleToStartTimeout(Duration.ZERO)
                .build();
    }

    /**
     * @param devServer the embedded service to own and stop with the worker, or null for an external
     *     cluster
     */
    public static WorkerRuntime start(
            WorkerConfig config, String target, String namespace, String taskQueue, DevServer devServer) {
        try {
            return start(config, TemporalConnection.of(TemporalSettings.of(target, namespace, taskQueue)), devServer);
        } catch (TemporalConnection.Invalid | TemporalConnection.Refused e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * Connects as {@code connection} says, checks once that the server answers (a refused certificate
     * or API key ends the start; a server that is not up yet is retried by polling), registers and
     * starts polling.
     *
     * @param devServer the embedded service to own and stop with the worker, or null for an external
     *     cluster
     */
    public static WorkerRuntime start(WorkerConfig config, TemporalConnection connection, DevServer devServer)
            throws TemporalConnection.Invalid, TemporalConnection.Refused {
        String target = connection.target();
        String namespace = connection.namespace();
        String taskQueue = connection.taskQueue();
        Metrics metrics = new Metrics(Duration.ofSeconds(1));
        WorkflowServiceStubs stubs;
        try {
            stubs = connection.stubs(metrics.scope(), null);
        } catch (TemporalConnection.Invalid e) {
            metrics.close();
            throw e;
        }
        awaitServer(connection, stubs, metrics);
        registerSearchAttributes(stubs, target, namespace);
        WorkflowClient client = connection.client(stubs);
        WorkerFactory factory = WorkerFactory.newInstance(client);
        Worker worker = factory.newWorker(taskQueue, workerOptions());
        Injector injector = Guice.createInjector(new WorkerModule(config, metrics.registry()));
        register(worker, injector);
        WorkerHttp http = null;
        if (config.http() != null) {
            try {
                http = new WorkerHttp(
                        config.http(), metrics, injector.getInstance(org.fastdowntime.env.Environments.class));
            } catch (java.io.IOException e) {
                stubs.shutdownNow();
                throw new PortTaken("cannot serve metrics and feeds on "
                        + config.http().bind() + ":"
                        + config.http().port() + " (" + e.getMessage() + "): another process (a second worker on this"
                        + " config?) holds it; give this worker another http.port in its config (0: any free port)");
            }
        }
        factory.start();
        log.info(
                "Worker polling task queue '{}' on {}, environments {}",
                taskQueue,
                connection.describe(),
                config.environments().keySet());
        return new WorkerRuntime(stubs, factory, devServer, metrics, http, injector);
    }

    /**
     * Waits until the server answers: a refusal (certificate, trust, API key) ends the start at once; a server
     * that is not up yet is waited for, said once and then every 30 s.
     */
    private static void awaitServer(TemporalConnection connection, WorkflowServiceStubs stubs, Metrics metrics)
            throws TemporalConnection.Refused {
        long lastSaid = 0;
        for (TemporalConnection.Problem p = connection.check(stubs); p != null; p = connection.check(stubs)) {
            if (p.refused()) {
                stubs.shutdownNow();
                metrics.close();
                throw new TemporalConnection.Refused(p.message());
            }
            if (lastSaid == 0 || System.nanoTime() - lastSaid > 30_000_000_000L) {
                log.warn("{}; waiting for it", p.message());
                lastSaid = System.nanoTime();
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stubs.shutdownNow();
                metrics.close();
                throw new TemporalConnection.Refused(
                        "interrupted while waiting for Temporal at " + connection.describe());
            }
        }
    }

    /**
     * Registers the search attributes of {@link DowntimeSearchAttributes}. On the embedded service this is required before any
     * workflow runs; on a real cluster an operator may have done it already, or may have to (the
     * worker says so and goes on).
     */
    static void registerSearchAttributes(WorkflowServiceStubs stubs, String target, String namespace) {
        OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(OperatorServiceStubsOptions.newBuilder()
                .setChannel(stubs.getRawChannel())
                .validateAndBuildWithDefaults());
        try {
            operator.blockingStub()
                    .addSearchAttributes(AddSearchAttributesRequest.newBuilder()
                            .setNamespace(namespace)
                            .putAllSearchAttributes(DowntimeSearchAttributes.types())
                            .build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
                log.warn(
                        "Could not register the search attributes {} on {} ({}); an operator must register them"
                                + " before windows run",
                        DowntimeSearchAttributes.types(),
                        target,
                        e.getStatus());
            }
        } finally {
            operator.shutdownNow();
        }
    }

    /**
     * Stops polling, lets running activities finish (up to {@code grace}), then stops the embedded
     * service.
     */
    public void shutdown(Duration grace) {
        // Stop taking work, but let an outage under way finish while its heartbeats and result still
        // get through;
        // only then stop the worker (which stops heartbeats).
        factory.suspendPolling();
        if (injector.getInstance(OutageActivities.class) instanceof org.fastdowntime.gate.OutageActivitiesImpl o) {
            try {
                if (!o.awaitNoOutage(grace)) {
                    log.warn(
                            "An outage is still running after {}: stopping anyway; the workflow's compensation"
                                    + " takes over",
                            grace);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        factory.shutdown();
        factory.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        stubs.shutdown();
        if (http != null) {
            http.close();
        }
        metrics.close();
        if (devServer != null) {
            devServer.close();
        }
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(30));
    }

    /** The worker's HTTP port is held by another process: said in one line, the worker does not start. */
    public static final class PortTaken extends RuntimeException {
        PortTaken(String message) {
            super(message);
        }
    }
}
