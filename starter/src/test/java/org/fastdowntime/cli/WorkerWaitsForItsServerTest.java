package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.fastdowntime.testing.TestDatabase;
import org.fastdowntime.worker.DevServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A worker started before its Temporal server waits for it, says so once, and polls when it comes. */
class WorkerWaitsForItsServerTest {
    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    @Test
    void aWorkerStartedBeforeItsServerWaitsAndThenPolls() throws Exception {
        Path config = config("early", "");
        int port = RealTemporal.freePort();
        Path log = dir.resolve("worker.log");
        Process worker = WorkerProcess.start(config, "127.0.0.1:" + port, log).process();
        try {
            awaitLog(log, "waiting for it", worker);
            Thread.sleep(1500);
            assertTrue(worker.isAlive(), "still waiting:\n" + Files.readString(log));
            try (DevServer server = DevServer.start(port)) {
                awaitLog(log, "Worker polling", worker);
                String text = Files.readString(log);
                assertFalse(text.contains("\tat "), "no stack trace:\n" + text);
                assertTrue(text.indexOf("waiting for it") == text.lastIndexOf("waiting for it"), "said once:\n" + text);
                worker.destroy();
                assertTrue(worker.waitFor(30, TimeUnit.SECONDS), "stops on SIGTERM");
            }
        } finally {
            worker.destroyForcibly();
        }
    }

    private static void awaitLog(Path log, String text, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(log) && Files.readString(log).contains(text))) {
            assertTrue(p.isAlive(), "the worker runs:\n" + (Files.exists(log) ? Files.readString(log) : ""));
            assertTrue(System.nanoTime() < deadline, "'" + text + "' within 60 s:\n" + Files.readString(log));
            Thread.sleep(100);
        }
    }

    @Test
    void aWorkerWhosePortIsTakenSaysSoInOneLine() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                DevServer server = DevServer.start(0)) {
            Path config = config("busy", "http:\n  port: " + taken.getLocalPort() + "\n");
            Path log = dir.resolve("worker.log");
            Process worker = WorkerProcess.start(config, server.target(), log).process();
            assertTrue(worker.waitFor(60, TimeUnit.SECONDS), "the worker gives up");
            String text = Files.readString(log);
            org.junit.jupiter.api.Assertions.assertEquals(35, worker.exitValue(), text);
            assertTrue(text.contains("cannot serve metrics and feeds on 127.0.0.1:" + taken.getLocalPort()), text);
            assertTrue(text.contains("http.port"), "says what to change:\n" + text);
            assertFalse(text.contains("\tat "), "no stack trace:\n" + text);
        }
    }

    /** A worker config with one environment on the test database, and {@code more} top-level YAML. */
    private Path config(String environment, String more) throws Exception {
        Path config = dir.resolve("worker.yaml");
        Files.writeString(
                config,
                "environments:\n  " + environment + ":\n    jdbcUrl: "
                        + db.url().replaceAll("\\?.*$", "") + "\n    user: postgres\n    patches: "
                        + TestDatabase.demoPatches() + "\n    approvers: [alice]\n" + more);
        return config;
    }
}
