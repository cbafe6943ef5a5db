package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The world of client-command tests: the real Temporal server, a worker JVM for environment {@code prod} on the
 * test's database, and fastdowntime commands run as separate processes.
 */
abstract class RealServerClients {
    @RegisterExtension
    static final RealTemporal temporal = RealTemporal.headless();

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    Process worker;

    @BeforeEach
    void world() throws Exception {
        Path folder = db.demoFolder(dir, name -> true);
        Path config = config(TestWorkerYaml.of("prod", db, folder)
                        .approvers("alice", "bob")
                        .signOffApprovers("francis"))
                .write(dir.resolve("worker.yaml"));
        worker = process(List.of("worker", "--config", config.toString()), true, dir.resolve("worker.log"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(dir.resolve("worker.log")).contains("Worker polling")) {
            assertTrue(worker.isAlive() && System.nanoTime() < deadline, Files.readString(dir.resolve("worker.log")));
            Thread.sleep(100);
        }
    }

    /** The worker's config: environment prod on the test's database, with alice, bob and francis. */
    TestWorkerYaml config(TestWorkerYaml yaml) throws Exception {
        return yaml;
    }

    @AfterEach
    void stop() throws Exception {
        worker.destroy();
        if (!worker.waitFor(20, TimeUnit.SECONDS)) {
            worker.destroyForcibly();
        }
    }

    /** A fastdowntime process; {@code byEnvironment}: TEMPORAL_ADDRESS, else --target. */
    Process process(List<String> args, boolean byEnvironment, Path output) throws Exception {
        List<String> argv = TestJvm.argv(System.getProperty("java.class.path"), args);
        if (!byEnvironment) {
            argv.addAll(List.of("--target", temporal.target()));
        }
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().keySet().removeIf(k -> k.startsWith("TEMPORAL_"));
        if (byEnvironment) {
            pb.environment().put("TEMPORAL_ADDRESS", temporal.target());
        }
        pb.redirectErrorStream(true).redirectOutput(output.toFile());
        return pb.start();
    }

    record Run(int exit, String out) {}

    Run run(boolean byEnvironment, String... args) throws Exception {
        Path out = Files.createTempFile(dir, "cli-", ".out");
        Process p = process(List.of(args), byEnvironment, out);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", args));
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    static String lastLine(String out) {
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1].strip();
    }
}
