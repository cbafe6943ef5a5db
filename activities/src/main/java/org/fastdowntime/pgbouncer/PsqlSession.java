package org.fastdowntime.pgbouncer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One psql process kept open on pgbouncer's admin console, so the outage's admin commands cost a
 * round trip, not a process start and a login. Each command is followed by an {@code \echo} marker;
 * psql flushes per command on a pipe, so the marker tells when the command's output is complete.
 */
final class PsqlSession implements AutoCloseable {
    private static final String EOF = "\u0000eof";

    private final Process process;
    private final Writer in;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private int next;

    PsqlSession(ProcessBuilder psql) throws IOException {
        process = psql.redirectErrorStream(true).start();
        in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            lines.add(line);
                        }
                    } catch (IOException ignored) {
                        // the process ended
                    }
                    lines.add(EOF);
                },
                "psql-session");
        reader.setDaemon(true);
        reader.start();
    }

    /** A command sent and not yet known to be finished. */
    final class Pending {
        private final String marker;
        private final String command;
        private final List<String> output = new ArrayList<>();

        private Pending(String marker, String command) {
            this.marker = marker;
            this.command = command;
        }

        /** The command's output once it finished within {@code timeout}, or null if it still runs. */
        List<String> await(Duration timeout) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    return null;
                }
                if (line.equals(EOF)) {
                    throw new IOException("psql ended while running '" + command + "': " + String.join(" ", output));
                }
                if (line.equals(marker)) {
                    for (String o : output) {
                        if (o.startsWith("ERROR:") || o.contains(" ERROR: ") || o.startsWith("psql:")) {
                            throw new IOException("'" + command + "': " + o);
                        }
                    }
                    return output;
                }
                output.add(line);
            }
        }
    }

    /** Sends one command (a single admin console statement, without the semicolon). */
    Pending send(String command) throws IOException {
        String marker = "__fastdowntime_" + (++next) + "__";
        in.write(command + ";\n\\echo " + marker + "\n");
        in.flush();
        return new Pending(marker, command);
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
