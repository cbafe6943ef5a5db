package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A worker in a JVM of its own, as an operator runs one: {@code fastdowntime worker --config FILE [--target
 * HOST:PORT]}, with no {@code TEMPORAL_*} variable but those given, its output in a log file. Closing stops it with
 * SIGTERM (SIGKILL after 20 s).
 */
final class WorkerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private WorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** @param target the Temporal frontend, or null to leave it to the config and {@code env} */
    static WorkerProcess start(Path config, String target, Map<String, String> env, Path log) throws IOException {
        List<String> argv = new ArrayList<>(TestJvm.argv("worker", "--config", config.toString()));
        if (target != null) {
            argv.addAll(List.of("--target", target));
        }
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().keySet().removeIf(k -> k.startsWith("TEMPORAL_"));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return new WorkerProcess(pb.start(), log);
    }

    static WorkerProcess start(Path config, String target, Path log) throws IOException {
        return start(config, target, Map.of(), log);
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Waits until the log says {@code text} (60 s at most, the worker alive). */
    WorkerProcess awaitLog(String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!log().contains(text)) {
            assertTrue(process.isAlive(), "the worker runs:\n" + log());
            assertTrue(System.nanoTime() < deadline, "'" + text + "' within 60 s:\n" + log());
            Thread.sleep(100);
        }
        return this;
    }

    WorkerProcess awaitPolling() throws Exception {
        return awaitLog("Worker polling");
    }

    Process process() {
        return process;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
