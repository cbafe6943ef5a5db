package org.fastdowntime.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.worker.TemporalConnection;
import org.fastdowntime.worker.TemporalSettings;
import org.fastdowntime.worker.config.WorkerConfig;
import picocli.CommandLine.Option;

/**
 * Where and how to reach Temporal, for the worker and every client command, in one order (later
 * wins): the client profile as Temporal's CLI reads it (temporal.toml, TEMPORAL_PROFILE,
 * TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*), then the worker config's
 * {@code temporal:} section ({@code --config}), then these flags. No flag takes a secret itself:
 * the API key and the key's password come from files or variables.
 */
final class TemporalOptions implements AutoCloseable {
    @Option(
            names = "--target",
            paramLabel = "HOST:PORT",
            description =
                    "Temporal frontend (default: the profile's address, TEMPORAL_ADDRESS, or" + " 127.0.0.1:7233).")
    String target;

    @Option(
            names = "--namespace",
            paramLabel = "NS",
            description = "Namespace (default: the profile's, TEMPORAL_NAMESPACE, or default).")
    String namespace;

    @Option(
            names = "--task-queue",
            paramLabel = "QUEUE",
            description = "Task queue of the workers (default: TEMPORAL_TASK_QUEUE or fastdowntime).")
    String taskQueue;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "The worker's YAML config; its temporal: section says where and how to connect.")
    Path config;

    @Option(
            names = "--profile",
            paramLabel = "NAME",
            description = "Client profile of temporal.toml (default: TEMPORAL_PROFILE or default).")
    String profile;

    @Option(
            names = "--config-file",
            paramLabel = "FILE",
            description = "The temporal.toml to read, as the temporal CLI's --config-file (default:"
                    + " TEMPORAL_CONFIG_FILE or ~/.config/temporalio/temporal.toml).")
    Path profileFile;

    @Option(names = "--tls", negatable = true, description = "Use TLS (on by itself with any TLS file or an API key).")
    Boolean tls;

    @Option(
            names = "--tls-ca-path",
            paramLabel = "FILE",
            description = "CA certificate(s) to trust the server by (PEM).")
    Path tlsCa;

    @Option(names = "--tls-cert-path", paramLabel = "FILE", description = "Client certificate for mutual TLS (PEM).")
    Path tlsCert;

    @Option(names = "--tls-key-path", paramLabel = "FILE", description = "Client key for mutual TLS (PKCS#8 PEM).")
    Path tlsKey;

    @Option(names = "--tls-key-password-file", paramLabel = "FILE", description = "File holding the key's password.")
    Path tlsKeyPasswordFile;

    @Option(names = "--tls-server-name", paramLabel = "NAME", description = "Server name to verify (SNI/authority).")
    String tlsServerName;

    @Option(names = "--tls-disable-host-verification", description = "Trust any server certificate (tests only).")
    Boolean tlsDisableHostVerification;

    @Option(
            names = "--http-target",
            paramLabel = "HOST:PORT",
            description = "Temporal's HTTP API, which status, approve, abort, signal and calendar use instead of gRPC"
                    + " on a plaintext connection (default: on a loopback target, its port + 10, as"
                    + " dev-server serves it; 'none' turns it off).")
    String httpTarget;

    @Option(
            names = "--api-key-file",
            paramLabel = "FILE",
            description = "File holding the API key (sent as 'authorization: Bearer'); or set TEMPORAL_API_KEY.")
    Path apiKeyFile;

    private TemporalConnection resolved;
    private WorkflowServiceStubs stubs;
    private EventLoopGroup loop;
    private WorkflowClient client;

    /** The stacked settings; a bad one ends the command with exit 40, naming it. */
    TemporalConnection connection() {
        if (resolved == null) {
            try {
                resolved = connection(
                        config == null ? TemporalSettings.NONE : loadConfig().temporal());
            } catch (TemporalConnection.Invalid e) {
                throw new CommandFailure(ProblemType.TEMPORAL_UNREACHABLE, e.getMessage());
            }
        }
        return resolved;
    }

    /** The stack with {@code configLayer} as the worker config's section. */
    TemporalConnection connection(TemporalSettings configLayer) throws TemporalConnection.Invalid {
        Map<String, String> env = System.getenv();
        if (profileFile != null && !Files.isRegularFile(profileFile)) {
            throw new TemporalConnection.Invalid("--config-file: no such file " + profileFile);
        }
        TemporalSettings profileLayer = TemporalSettings.fromProfile(profile, profileFile, env);
        TemporalSettings.Builder flags = TemporalSettings.builder("flags")
                .target(target, "--target")
                .namespace(namespace, "--namespace")
                .taskQueue(taskQueue, "--task-queue")
                .httpTarget(httpTarget, "--http-target")
                .tls(tls, "--tls")
                .serverCa(tlsCa == null ? null : TemporalSettings.Pem.file(tlsCa), "--tls-ca-path")
                .clientCert(tlsCert == null ? null : TemporalSettings.Pem.file(tlsCert), "--tls-cert-path")
                .clientKey(tlsKey == null ? null : TemporalSettings.Pem.file(tlsKey), "--tls-key-path")
                .serverName(tlsServerName, "--tls-server-name")
                .disableHostVerification(tlsDisableHostVerification, "--tls-disable-host-verification");
        if (tlsKeyPasswordFile != null) {
            flags.clientKeyPassword(
                    new TemporalSettings.Secret(
                            readSecret(tlsKeyPasswordFile, "--tls-key-password-file"), "--tls-key-password-file"),
                    "--tls-key-password-file");
        }
        if (apiKeyFile != null) {
            flags.apiKey(
                    new TemporalSettings.Secret(readSecret(apiKeyFile, "--api-key-file"), "--api-key-file"),
                    "--api-key-file");
        }
        return TemporalConnection.of(profileLayer, configLayer, flags.build());
    }

    /** The worker config named by {@code --config}; exit 34 when it is bad. */
    WorkerConfig loadConfig() {
        try {
            return WorkerConfig.load(config);
        } catch (WorkerConfig.Invalid e) {
            throw new CommandFailure(ProblemType.BAD_CONFIG, e.getMessage());
        }
    }

    private static String readSecret(Path file, String flag) throws TemporalConnection.Invalid {
        try {
            return Files.readString(file).strip();
        } catch (java.io.IOException e) {
            throw new TemporalConnection.Invalid(flag + ": cannot read " + file + ": " + e.getMessage());
        }
    }

    String target() {
        return connection().target();
    }

    String namespace() {
        return connection().namespace();
    }

    String taskQueue() {
        return connection().taskQueue();
    }

    /**
     * A stub of the running workflow {@code workflowId}: over Temporal's HTTP API when the connection
     * has one ({@link TemporalConnection#httpTarget()}: plaintext, set or on loopback), which spares a
     * short command gRPC's start-up; else, or when nothing answers there, the SDK's.
     */
    <T> T workflow(Class<T> iface, String workflowId) {
        String http = httpTarget();
        java.util.function.Supplier<T> grpc = () -> client().newWorkflowStub(iface, workflowId);
        return http == null ? grpc.get() : HttpWorkflows.stub(iface, http, namespace(), workflowId, grpc);
    }

    /** Sends the signal {@code name} with {@code arg}: over the HTTP API as {@link #workflow} does, else by gRPC. */
    void signal(String workflowId, String name, Object arg) {
        String http = httpTarget();
        if (http == null || !HttpWorkflows.signal(http, namespace(), workflowId, name, arg)) {
            io.temporal.client.WorkflowStub stub = client().newUntypedWorkflowStub(workflowId);
            call(workflowId, () -> {
                stub.signal(name, arg);
                return null;
            });
        }
    }

    private String httpTarget() {
        try {
            return connection().httpTarget();
        } catch (TemporalConnection.Invalid e) {
            throw new CommandFailure(ProblemType.TEMPORAL_UNREACHABLE, e.getMessage());
        }
    }

    /** The command's client, made once; {@link #close()} ends its channel and its event loop. */
    WorkflowClient client() {
        if (client == null) {
            TemporalConnection c = connection();
            refusedAt(c);
            EventLoopGroup loop = TemporalConnection.ownEventLoop();
            try {
                stubs = c.stubs(null, Duration.ofSeconds(10), loop);
            } catch (TemporalConnection.Invalid e) {
                loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
                throw new CommandFailure(ProblemType.TEMPORAL_UNREACHABLE, e.getMessage());
            }
            this.loop = loop;
            client = c.client(stubs);
        }
        return client;
    }

    /** Where to say a server is, when none answers. */
    private static final String WHERE = "start one with './fastdowntime dev-server', or say where it is: --config"
            + " WORKER.yaml (its temporal: section), --target, TEMPORAL_ADDRESS or a temporal.toml profile";

    /**
     * Fails at once when nothing listens where the server should be (connection refused, or no answer within 2 s),
     * instead of letting the client retry its first call for its whole timeout.
     */
    private static void refusedAt(TemporalConnection c) {
        String target = c.target().replaceFirst("^[a-z]+:///?", "");
        int colon = target.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(target.substring(colon + 1));
        } catch (RuntimeException notHostPort) {
            return; // a name the gRPC resolver understands better than we do: let the client try
        }
        String host = target.substring(0, colon).replaceAll("^\\[|\\]$", "");
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(host, port), 2000);
        } catch (java.io.IOException e) {
            throw new CommandFailure(
                    ProblemType.TEMPORAL_UNREACHABLE,
                    "cannot reach Temporal at " + c.describe() + " (nothing answers on " + host + ":" + port + ": "
                            + e.getMessage() + "); " + WHERE);
        }
    }

    /**
     * Ends the client's channel and event loop, so that the command's JVM exits at once: it would
     * otherwise wait 300 ms for the loop's thread, which sits in native code ({@link Main} calls this
     * when the command returns).
     */
    @Override
    public void close() {
        if (stubs != null) {
            stubs.shutdownNow();
            stubs.awaitTermination(1, TimeUnit.SECONDS);
            stubs = null;
        }
        if (loop != null) {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(1, TimeUnit.SECONDS);
            loop = null;
        }
        client = null;
    }

    /** Why a workflow refused an update (its validator's or handler's message). */
    static String refusal(RuntimeException e) {
        if (e instanceof HttpWorkflows.UpdateRefused) {
            return e.getMessage();
        }
        Throwable c = e.getCause();
        return c instanceof io.temporal.failure.ApplicationFailure af
                ? af.getOriginalMessage()
                : c == null ? e.getMessage() : c.getMessage();
    }

    /** Runs a client call, turning "no server" and "no such workflow" into clean command failures. */
    <T> T call(String workflowId, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (WorkflowNotFoundException e) {
            throw new CommandFailure(
                    ProblemType.WORKFLOW_NOT_FOUND, "no workflow " + workflowId + " in namespace " + namespace());
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
            return new CommandFailure(
                    ProblemType.WORKFLOW_NOT_FOUND,
                    "no workflow "
                            + workflowId
                            + " in namespace "
                            + namespace()
                            + " ("
                            + e.getStatus().getDescription()
                            + ")");
        }
        String why = connection().explain(e);
        if (!why.startsWith("cannot reach")) {
            return new CommandFailure(ProblemType.TEMPORAL_UNREACHABLE, why);
        }
        if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
            return new CommandFailure(ProblemType.TEMPORAL_UNREACHABLE, why + "; " + WHERE);
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
