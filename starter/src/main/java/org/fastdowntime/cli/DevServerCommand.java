package org.fastdowntime.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.fastdowntime.worker.DevServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "dev-server",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a Temporal server on 127.0.0.1 until stopped: the real one (temporal server start-dev, with its Web"
                    + " UI on --port + 1000, 8233 by default, and the project's search attributes) when the temporal CLI is installed, else the"
                    + " embedded in-memory service.",
        })
final class DevServerCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "7233", description = "Port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--embedded",
            description = "The embedded in-memory service even when the temporal CLI is installed.")
    boolean embedded;

    @Option(
            names = "--db-filename",
            paramLabel = "FILE",
            description = "Keep the real server's state in this SQLite file.")
    java.nio.file.Path dbFile;

    @Override
    public Integer call() throws Exception {
        java.util.Optional<java.nio.file.Path> cli =
                embedded ? java.util.Optional.empty() : org.fastdowntime.sandbox.TemporalCli.find();
        if (cli.isPresent()) {
            java.util.List<String> argv = new org.fastdowntime.sandbox.TemporalCli.StartDev(cli.get(), port)
                    .ui(port + 1000)
                    .dbFile(dbFile)
                    .argv();
            System.err.println("temporal server start-dev on 127.0.0.1:" + port + " (Web UI on port " + (port + 1000)
                    + ", HTTP API on port " + (port + 10) + "); Ctrl-C stops it.");
            Process server = new ProcessBuilder(argv).inheritIO().start();
            // Ctrl-C reaches the whole process group; a SIGTERM to this JVM alone must not leave the server behind.
            Thread stop = new Thread(() -> stop(server), "stop-temporal-server");
            Runtime.getRuntime().addShutdownHook(stop);
            int exit = server.waitFor();
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it stops the server
            }
            return exit;
        }
        System.err.println("No temporal CLI found (scripts/setup-machine installs it): the embedded service.");
        DevServer server = DevServer.start(port);
        System.err.println("Embedded Temporal service on " + server.target() + "; Ctrl-C stops it.");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    /** Stops the server and whatever it started: politely, then after 10 s by force. */
    private static void stop(Process server) {
        java.util.List<ProcessHandle> all =
                new java.util.ArrayList<>(server.descendants().toList());
        all.add(server.toHandle());
        all.forEach(ProcessHandle::destroy);
        try {
            if (!server.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                all.forEach(ProcessHandle::destroyForcibly);
            }
        } catch (InterruptedException e) {
            all.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
    }
}
