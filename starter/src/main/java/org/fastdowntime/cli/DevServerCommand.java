package org.fastdowntime.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.fastdowntime.worker.DevServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "dev-server",
        mixinStandardHelpOptions = true,
        description = "Runs the embedded Temporal service alone on 127.0.0.1 (in memory) until stopped.")
final class DevServerCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "7233", description = "Port (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws Exception {
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
}
