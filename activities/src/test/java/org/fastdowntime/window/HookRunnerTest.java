package org.fastdowntime.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.fastdowntime.env.Hook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hooks run as real processes: they inherit none of the worker's secrets, a chatty one does not block, and what
 * the timeline says of a hook carries no token.
 */
class HookRunnerTest {
    @TempDir
    Path dir;

    private final HookRunner runner = new HookRunner();

    private static Hook command(String script) {
        return new Hook(List.of("sh", "-c", script), null, null, Duration.ofSeconds(20));
    }

    @Test
    void aHookInheritsOnlyPathLocaleAndHomeNeverTheWorkersSecrets() throws Exception {
        Path env = dir.resolve("env.txt");
        runner.run(command("env > " + env));
        Set<String> names = Files.readAllLines(env).stream()
                .filter(l -> l.contains("="))
                .map(l -> l.substring(0, l.indexOf('=')))
                .collect(Collectors.toSet());
        Set<String> shells = Set.of("PWD", "OLDPWD", "SHLVL", "_"); // what sh sets for itself
        for (String name : names) {
            assertTrue(
                    HookRunner.INHERITED.contains(name) || name.startsWith("LC_") || shells.contains(name),
                    name + " reached the hook: " + names);
        }
        Map<String, String> worker = System.getenv();
        List<String> kept = worker.keySet().stream()
                .filter(k -> !HookRunner.INHERITED.contains(k) && !k.startsWith("LC_") && !shells.contains(k))
                .filter(names::contains)
                .toList();
        assertEquals(List.of(), kept, "the worker's own variables stay with the worker");
        assertTrue(names.contains("PATH"), "programs are found: " + names);
    }

    @Test
    void aHookThatSaysAMegabyteIsNotBlockedByItsOwnOutput() {
        String said = runner.run(command("head -c 1048576 /dev/zero | tr '\\000' x; echo; echo quiesced"));
        assertTrue(said.endsWith(": ok (quiesced)"), said);
        ApplicationFailure failed = assertThrows(
                ApplicationFailure.class,
                () -> runner.run(command("head -c 1048576 /dev/zero | tr '\\000' y; exit 3")));
        assertTrue(failed.getOriginalMessage().contains("exited 3: …yyy"), "the end of what it said, bounded");
        assertTrue(
                failed.getOriginalMessage().length() < 1000,
                failed.getOriginalMessage().length() + " characters");
    }

    @Test
    void whatTheTimelineSaysOfAHookCarriesNoSecret() {
        Hook url =
                new Hook(null, "https://deploy:hunter2@ops.example.com/quiesce?token=s3cr3t&env=prod#x", "POST", null);
        assertEquals("POST https://ops.example.com/quiesce?token=…&env=…", url.describe());
        Hook argv = new Hook(
                List.of(
                        "/usr/local/bin/quiesce",
                        "--api-token",
                        "s3cr3t",
                        "password=hunter2",
                        "Authorization: Bearer abc",
                        "--env",
                        "prod",
                        "https://u:p@h/x?k=v"),
                null,
                null,
                null);
        String shown = argv.describe();
        assertEquals(
                "/usr/local/bin/quiesce --api-token … password=… Authorization: … --env prod https://h/x?k=…", shown);
        for (String secret : List.of("s3cr3t", "hunter2", "abc", "u:p")) {
            assertFalse(url.describe().contains(secret) || shown.contains(secret), secret);
        }
    }
}
