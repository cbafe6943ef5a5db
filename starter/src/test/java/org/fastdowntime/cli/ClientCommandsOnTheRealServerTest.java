package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fastdowntime.activity.Json;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fastdowntime client commands as separate processes against the real Temporal server, half of them told where
 * it is with {@code --target}, half with {@code TEMPORAL_ADDRESS} (as a profile-less Temporal user would).
 */
class ClientCommandsOnTheRealServerTest {
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
        Path config = TestWorkerYaml.of("prod", db, folder)
                .approvers("alice", "bob")
                .signOffApprovers("francis")
                .write(dir.resolve("worker.yaml"));
        worker = process(List.of("worker", "--config", config.toString()), true, dir.resolve("worker.log"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(dir.resolve("worker.log")).contains("Worker polling")) {
            assertTrue(worker.isAlive() && System.nanoTime() < deadline, Files.readString(dir.resolve("worker.log")));
            Thread.sleep(100);
        }
    }

    @AfterEach
    void stop() throws Exception {
        worker.destroy();
        if (!worker.waitFor(20, TimeUnit.SECONDS)) {
            worker.destroyForcibly();
        }
    }

    /** A fastdowntime process; {@code byEnvironment}: TEMPORAL_ADDRESS, else --target. */
    private Process process(List<String> args, boolean byEnvironment, Path output) throws Exception {
        List<String> argv = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        argv.addAll(args);
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

    private record Run(int exit, String out) {}

    private Run run(boolean byEnvironment, String... args) throws Exception {
        Path out = Files.createTempFile(dir, "cli-", ".out");
        Process p = process(List.of(args), byEnvironment, out);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", args));
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    private static String lastLine(String out) {
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    @Test
    void startApproveSignalStatusAbortAndTheCalendarWorkWithTargetAndWithTemporalAddress() throws Exception {
        Run start = run(
                true,
                "start",
                "fast-downtime",
                "--environment",
                "prod",
                "--at",
                "2030-12-02T08:30:00Z",
                "--patch",
                "2300-01-0",
                "--patch",
                "2300-02-0");
        assertEquals(0, start.exit(), start.out());
        String id = lastLine(start.out());
        assertEquals("fast-downtime-prod-20301202T0830Z", id);
        Run approve = run(false, "approve", id, "--patch", "2300-01-0", "--by", "alice");
        assertEquals(0, approve.exit(), approve.out());
        Run signal = run(
                true, "signal", id, "qaBad", "--json", "{\"patch\":\"2300-02-0\",\"by\":\"bob\",\"reason\":\"slow\"}");
        assertEquals(0, signal.exit(), signal.out());
        Run abort = run(false, "abort", id, "--reason", "replication lag", "--by", "francis");
        assertEquals(0, abort.exit(), abort.out());

        JsonNode status = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (status == null || !status.get("stage").asText().equals("ABORTED")) {
            assertTrue(System.nanoTime() < deadline, "aborted: " + status);
            Run s = run(true, "status", id, "--json");
            assertEquals(0, s.exit(), s.out());
            status = Json.mapper().readTree(s.out().substring(s.out().indexOf('{')));
            Thread.sleep(200);
        }
        assertEquals("APPROVED", status.get("patches").get(0).get("state").asText(), status.toString());
        assertEquals("REJECTED", status.get("patches").get(1).get("state").asText(), status.toString());

        Run cal = run(true, "calendar", "start", "--environment", "prod", "--slots", "Mon-Fri 08:30 UTC");
        assertEquals(0, cal.exit(), cal.out());
        Run pause = run(false, "calendar", "pause", "--environment", "prod", "--by", "alice");
        for (int i = 0; i < 20 && pause.exit() != 0; i++) { // the calendar answers once its policy is loaded
            Thread.sleep(250);
            pause = run(false, "calendar", "pause", "--environment", "prod", "--by", "alice");
        }
        assertEquals(0, pause.exit(), pause.out());
        Run refused = run(true, "calendar", "pause", "--environment", "prod", "--by", "alice");
        assertEquals(44, refused.exit(), "a refused change exits 44: " + refused.out());
        assertTrue(refused.out().contains("already paused"), refused.out());
        Run show = run(false, "calendar", "show", "--environment", "prod", "--json");
        assertEquals(0, show.exit(), show.out());
        JsonNode view = Json.mapper().readTree(show.out().substring(show.out().indexOf('{')));
        assertTrue(view.get("paused").asBoolean(), view.toString());

        Run missing = run(true, "status", "fast-downtime-prod-nothing");
        assertEquals(41, missing.exit(), "no such workflow: " + missing.out());
        temporal.temporal("workflow", "terminate", "--workflow-id", "downtime-calendar-prod", "--reason", "test");
    }
}
