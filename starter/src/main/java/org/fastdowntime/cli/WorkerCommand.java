package org.fastdowntime.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.worker.DevServer;
import org.fastdowntime.worker.TemporalConnection;
import org.fastdowntime.worker.WorkerRuntime;
import org.fastdowntime.worker.config.WorkerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "worker",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a worker: the downtime workflows and the activities built from the YAML config.",
            "With --dev-server it also runs the embedded Temporal service on 127.0.0.1:7233 (in memory).",
            "Stops gracefully on SIGTERM/Ctrl-C: polling stops, a running outage finishes (or is handed" + " over)."
        })
final class WorkerCommand implements Callable<Integer> {
    @Option(names = "--dev-server", description = "Also run the embedded Temporal service.")
    boolean devServer;

    @Option(
            names = "--dev-server-port",
            defaultValue = "7233",
            paramLabel = "PORT",
            description = "Port of the embedded service (default: ${DEFAULT-VALUE}).")
    int devServerPort;

    @Mixin
    TemporalOptions temporal;

    @Override
    public Integer call() throws Exception {
        if (temporal.config == null) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "the worker needs --config FILE (its YAML config)");
        }
        WorkerConfig cfg = temporal.loadConfig();
        TemporalConnection where;
        try {
            where = temporal.connection(cfg.temporal());
        } catch (TemporalConnection.Invalid e) {
            throw new CommandFailure(ProblemType.BAD_CONFIG, e.getMessage());
        }
        DevServer server = devServer ? DevServer.start(devServerPort) : null;
        if (server != null) {
            where = where.withTarget(server.target(), "--dev-server");
            System.err.println("Embedded Temporal service on " + server.target() + " (in memory; no UI)");
        }
        WorkerRuntime runtime;
        try {
            runtime = WorkerRuntime.start(cfg, where, server);
        } catch (TemporalConnection.Invalid e) {
            throw new CommandFailure(ProblemType.BAD_CONFIG, e.getMessage());
        } catch (TemporalConnection.Refused e) {
            throw new CommandFailure(ProblemType.TEMPORAL_UNREACHABLE, e.getMessage());
        } catch (WorkerRuntime.PortTaken e) {
            throw new CommandFailure(ProblemType.PORT_TAKEN, e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.err.println("Shutting down: finishing running activities...");
                            runtime.shutdown(Duration.ofSeconds(60));
                            stopped.countDown();
                        },
                        "fastdowntime-shutdown"));
        stopped.await();
        return 0;
    }
}
