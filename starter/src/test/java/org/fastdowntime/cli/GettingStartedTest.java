package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/getting-started.md followed verbatim: its shell blocks, in order, as one terminal session at the project's
 * root (so its background jobs and {@code $id} carry from block to block), on this machine's PostgreSQL, the real
 * Temporal server on its default ports and a worker — a real window, its status, the list and the Web UI's page of
 * the window answering.
 */
class GettingStartedTest {
    static final Path ROOT = Path.of(System.getProperty("fastdowntime.patches")).getParent();

    @TempDir
    Path dir;

    /** The guide's shell blocks, in order. */
    static List<String> blocks(Path doc) throws Exception {
        Matcher m = Pattern.compile("```sh\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(doc));
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    @Test
    void aNewcomerFollowsTheGuideToARealWindow() throws Exception {
        // The demo's test may hold the UI's default port for a few seconds (it takes another one when 8233 is taken).
        long free = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (listening(7233) || listening(8233)) {
            assertTrue(System.nanoTime() < free, "the guide runs Temporal on 7233 and its UI on 8233: they are taken");
            Thread.sleep(500);
        }
        List<String> blocks = blocks(ROOT.resolve("docs/getting-started.md"));
        assertTrue(blocks.size() >= 6, "the guide has its steps: " + blocks);
        Path script = Files.writeString(dir.resolve("guide.sh"), "set -euo pipefail\n" + String.join("", blocks));
        Path out = dir.resolve("guide.out");
        ProcessBuilder p = new ProcessBuilder("setsid", "bash", script.toString())
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        // ./fastdowntime runs on this build's classes instead of building its jar in the middle of the build.
        p.environment().put("FASTDOWNTIME_CLASSPATH", TestJvm.runtimeClassPath());
        Process guide = p.start();
        boolean ended = guide.waitFor(5, TimeUnit.MINUTES);
        String said = Files.readString(out, StandardCharsets.UTF_8);
        try {
            assertTrue(ended, "the guide ran within 5 minutes:\n" + said);
            assertEquals(0, guide.exitValue(), "every command of the guide succeeded:\n" + said);
            assertTrue(said.contains("temporal version"), "temporal is on the PATH as the guide prints it:\n" + said);
            assertTrue(said.contains("qaOk 2300-01-0 ("), said);
            assertTrue(said.contains(": DONE (tour)"), "the window ended DONE:\n" + said);
            assertTrue(said.contains("Applied 2300-01-0, 2300-02-0 with an outage of"), said);
            assertTrue(said.contains("Outage complete. 00:00:"), said);
            assertTrue(said.matches("(?s).*fast-downtime-tour-now-\\S+\\s+tour\\s+COMPLETED\\s+DONE\\s+DONE.*"), said);
            assertTrue(said.strip().endsWith("200"), "the window's page in the Web UI answers:\n" + said);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (listening(7233) || listening(8233)) { // the guide's last block stops its server and worker
                assertTrue(System.nanoTime() < deadline, "the guide's clean-up stopped the server");
                Thread.sleep(200);
            }
        } finally {
            new ProcessBuilder(
                            "bash",
                            "-c",
                            "pkill -f 'fdt-tour.db'; pkill -f 'config/getting-started.yaml'; "
                                    + "dropdb -h 127.0.0.1 -U postgres --if-exists fdt_tour; true")
                    .start()
                    .waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
