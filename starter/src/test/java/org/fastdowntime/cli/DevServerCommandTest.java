package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code dev-server} runs the real server as its child: stopping the command stops the server. */
class DevServerCommandTest {
    @Test
    void aSigtermToDevServerLeavesNoServerBehind() throws Exception {
        RealTemporal.cli(); // fails with how to install it when missing
        int port = RealTemporal.freePort();
        Process dev = new ProcessBuilder(TestJvm.argv("dev-server", "--port", String.valueOf(port)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<ProcessHandle> children = List.of();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!answers(port)) {
                assertTrue(dev.isAlive(), "dev-server ended before its server answered");
                assertTrue(System.nanoTime() < deadline, "no server on " + port);
                Thread.sleep(200);
            }
            children = dev.descendants().toList();
            assertFalse(children.isEmpty(), "the real server runs as dev-server's child");
            dev.destroy(); // SIGTERM, to the JVM alone
            assertTrue(dev.waitFor(30, TimeUnit.SECONDS), "dev-server stops");
            for (ProcessHandle child : children) {
                child.onExit().get(15, TimeUnit.SECONDS);
                assertFalse(
                        child.isAlive(),
                        "left behind: " + child.info().command().orElse("?"));
            }
            assertEquals(false, answers(port), "the port is free again");
        } finally {
            children.forEach(ProcessHandle::destroyForcibly);
            dev.destroyForcibly();
        }
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
