package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line builds only the subcommand it names; help and a bad name still see them all. */
class MainTest {
    private static final List<String> ALL = List.of(
            "plan",
            "time-patches",
            "apply-live",
            "apply",
            "worker",
            "dev-server",
            "start",
            "approve",
            "approvals",
            "qa-revision",
            "status",
            "list",
            "abort",
            "demo",
            "bench",
            "signal",
            "landing-check",
            "calendar",
            "simulate",
            "report",
            "help");

    @Test
    void aNamedCommandIsTheOnlyOneBuiltAndHelpListsEveryCommand() {
        assertEquals(
                List.of("status"),
                List.copyOf(Main.commandLine("status", "x").getSubcommands().keySet()));
        assertEquals(ALL, List.copyOf(Main.commandLine().getSubcommands().keySet()));
        assertEquals(ALL, List.copyOf(Main.commandLine("help").getSubcommands().keySet()));

        Cli help = Cli.run("--help");
        assertEquals(0, help.exit(), help.toString());
        for (String command : ALL) {
            assertTrue(help.out().contains("  " + command + " "), command + " in:\n" + help.out());
        }
        Cli status = Cli.run("help", "status");
        assertEquals(0, status.exit(), status.toString());
        assertTrue(status.out().contains("--http-target"), status.out());
        Cli unknown = Cli.run("stauts", "x");
        assertEquals(2, unknown.exit(), unknown.toString());
        assertTrue(unknown.err().contains("stauts"), unknown.err());
    }

    /** A time or a slot written almost right is refused with an example of the right form. */
    @Test
    void aTimeOrSlotWrittenAlmostRightIsRefusedWithAnExample() {
        Cli at = Cli.run("start", "fast-downtime", "--environment", "production", "--at", "2026-12-07");
        assertEquals(2, at.exit(), at.toString());
        assertTrue(at.err().contains("e.g. 2026-12-07T08:30:00Z: 2026-12-07"), at.err());
        Cli slot = Cli.run("simulate", "--days", "1", "--slots", "Mon-Fri 8:30 UTC");
        assertEquals(2, slot.exit(), slot.toString());
        assertTrue(
                slot.err()
                        .contains("slot 'Mon-Fri 8:30 UTC': time '8:30' must be HH:MM on a 24-hour clock, e.g. 08:30"),
                slot.err());
    }

    /**
     * What start can know before a window exists is refused at once, and no workflow is started: a time already
     * past, and with the worker's config an environment it does not have (no server answers here: none is asked).
     */
    @Test
    void startRefusesAPastTimeAndWithTheConfigAnUnknownEnvironment(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Cli past = Cli.run(
                "start",
                "fast-downtime",
                "--environment",
                "production",
                "--at",
                "2020-01-06T08:30:00Z",
                "--target",
                "127.0.0.1:1");
        assertEquals(2, past.exit(), past.toString());
        assertTrue(past.err().contains("--at 2020-01-06T08:30:00Z is in the past"), past.err());
        Path config = java.nio.file.Files.writeString(
                dir.resolve("worker.yaml"),
                "environments:\n  production:\n    jdbcUrl: jdbc:postgresql://127.0.0.1:5432/x\n    user: postgres\n"
                        + "    patches: " + Path.of(System.getProperty("fastdowntime.patches")) + "\n"
                        + "    approvers: [alice]\n");
        Cli misspelt = Cli.run(
                "start",
                "fast-downtime",
                "--environment",
                "prdo",
                "--config",
                config.toString(),
                "--target",
                "127.0.0.1:1");
        assertEquals(2, misspelt.exit(), misspelt.toString());
        assertTrue(
                misspelt.err().contains("no environment 'prdo' in " + config + "; configured: [production]"),
                misspelt.err());
    }

    /**
     * A client command closes its channel and event loop when it returns: a thread left in native code would hold
     * the JVM's exit for 300 ms.
     */
    @Test
    void aClientCommandLeavesNoEventLoopBehind() throws Exception {
        try (org.fastdowntime.worker.DevServer server = org.fastdowntime.worker.DevServer.start(0)) {
            // The command's own loop runs on threads named for it (what is counted below is not vacuous).
            var probe = org.fastdowntime.worker.TemporalConnection.ownEventLoop();
            String name = probe.submit(() -> Thread.currentThread().getName()).get();
            probe.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS)
                    .await();
            assertTrue(name.startsWith(org.fastdowntime.worker.TemporalConnection.OWN_LOOP), name);
            // Other test classes may share this JVM: only the loops this command started count.
            java.util.Set<Thread> before = eventLoops();
            Cli missing = Cli.run("status", "no-such-window", "--target", server.target(), "--http-target", "none");
            assertEquals(41, missing.exit(), missing.toString());
            // Closed when the command returns: a loop thread may take a few milliseconds to leave, not 300.
            long deadline = System.nanoTime() + java.time.Duration.ofMillis(250).toNanos();
            List<String> left;
            do {
                left = eventLoops().stream()
                        .filter(t -> !before.contains(t))
                        .map(Thread::getName)
                        .toList();
            } while (!left.isEmpty() && System.nanoTime() < deadline && pause());
            assertEquals(List.of(), left);
        }
    }

    private static java.util.Set<Thread> eventLoops() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith(org.fastdowntime.worker.TemporalConnection.OWN_LOOP))
                .collect(java.util.stream.Collectors.toSet());
    }

    private static boolean pause() {
        try {
            Thread.sleep(10);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
