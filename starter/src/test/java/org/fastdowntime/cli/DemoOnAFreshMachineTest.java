package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as a newcomer sees it, in a JVM of its own: everything it prints (the worker's log
 * included) is read. Here it runs with no PostgreSQL on the PATH and on the embedded server
 * binaries, as on a machine with Java only.
 */
class DemoOnAFreshMachineTest {
    @TempDir
    Path dir;

    @Test
    void theDemoRunsOnTheEmbeddedPostgresWithNoPostgresOnThePathAndPrintsNoStackTrace() throws Exception {
        // The only programs the demo may run: the throwaway cluster drops root with runuser and hands
        // it its folder.
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : List.of("runuser", "chown")) {
            for (String where : List.of("/usr/sbin/", "/usr/bin/", "/bin/", "/sbin/")) {
                if (Files.isExecutable(Path.of(where + tool))) {
                    Files.createSymbolicLink(bin.resolve(tool), Path.of(where + tool));
                    break;
                }
            }
        }
        ProcessBuilder pb = new ProcessBuilder(TestJvm.argv(
                TestJvm.runtimeClassPath(),
                List.of(
                        "demo",
                        "--postgres",
                        "embedded",
                        "--clients",
                        "4",
                        "--patches",
                        TestDatabase.demoPatches().toString())));
        pb.environment().put("PATH", bin.toString());
        pb.environment().put("FASTDOWNTIME_TEMPORAL_CLI", ""); // and no Temporal CLI either
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "the demo ends");

        assertEquals(0, p.exitValue(), out);
        assertTrue(
                out.contains("a throwaway cluster from the embedded PostgreSQL 15."), "says which PostgreSQL:\n" + out);
        assertTrue(out.contains("Result: COMPLETED"), out);
        assertTrue(out.contains("no temporal CLI found (scripts/setup-machine installs it), so the embedded"), out);
        assertTrue(out.contains("Cleaned up: dropped fdt_demo_"), out);
        assertFalse(out.contains("\tat "), "no stack trace:\n" + out);
        assertFalse(out.contains("Exception"), "no exception named:\n" + out);
        assertFalse(out.contains(" WARN ") || out.contains(" ERROR "), "nothing for a person to act on:\n" + out);
        long lines = out.lines().count();
        assertTrue(lines <= 50, "fits one screen (" + lines + " lines):\n" + out);
    }
}
