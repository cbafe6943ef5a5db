package org.fastdowntime.sandbox;

import io.temporal.api.enums.v1.IndexedValueType;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.fastdowntime.downtime.DowntimeSearchAttributes;

/**
 * The real Temporal server as its CLI runs it locally: {@code temporal server start-dev} on loopback, with the
 * project's search attributes, the Web UI when asked for, and SQLite in memory or in a file. Stopped by its process
 * id on {@link #close()}.
 *
 * <p>The CLI is found at {@code FASTDOWNTIME_TEMPORAL_CLI} (empty: none), else on the PATH, else where {@code
 * scripts/setup-machine} installs the pinned one ({@code ~/.cache/fastdowntime/bin/temporal}).
 */
public final class TemporalCli implements AutoCloseable {
    private final Process process;
    private final int port;
    private final int httpPort;
    private final int uiPort;
    private final Path log;

    private TemporalCli(Process process, int port, int httpPort, int uiPort, Path log) {
        this.process = process;
        this.port = port;
        this.httpPort = httpPort;
        this.uiPort = uiPort;
        this.log = log;
    }

    /** The {@code temporal} binary, if this machine has one. */
    public static Optional<Path> find() {
        String given = System.getenv("FASTDOWNTIME_TEMPORAL_CLI");
        if (given != null) {
            return given.isBlank() || !Files.isExecutable(Path.of(given))
                    ? Optional.empty()
                    : Optional.of(Path.of(given));
        }
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(d.isEmpty() ? "." : d, "temporal");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        Path installed = Path.of(System.getProperty("user.home"), ".cache", "fastdowntime", "bin", "temporal");
        return Files.isExecutable(installed) ? Optional.of(installed) : Optional.empty();
    }

    /**
     * Starts {@code temporal server start-dev} on free loopback ports and waits until it answers.
     *
     * @param ui whether to serve the Web UI (on 8233 when free, as the CLI does, else on a free port)
     * @param dbFile the SQLite file that keeps its state across restarts, or null to keep it in memory
     */
    public static TemporalCli start(Path cli, boolean ui, Path dbFile) throws IOException, InterruptedException {
        int port = freePort(0);
        int httpPort = freePort(port + 10);
        int uiPort = ui ? freePort(8233) : -1;
        StartDev command = new StartDev(cli, port).http(httpPort).quiet().dbFile(dbFile);
        List<String> argv = (ui ? command.ui(uiPort) : command).argv();
        Path log = Files.createTempFile("fastdowntime-temporal-", ".log");
        Process p = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        TemporalCli server = new TemporalCli(p, port, httpPort, uiPort, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!server.answers(cli)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                String out = Files.readString(log);
                server.close();
                throw new IOException("temporal server start-dev did not start: " + out);
            }
            Thread.sleep(200);
        }
        return server;
    }

    /**
     * The {@code temporal server start-dev} command line, one place for every caller: loopback only, headless unless
     * a UI port is given, the project's search attributes registered unless the caller registers them itself.
     */
    public static final class StartDev {
        private final Path cli;
        private final int port;
        private int uiPort = -1;
        private int httpPort;
        private Path dbFile;
        private boolean quiet;
        private boolean searchAttributes = true;

        /** The HTTP API on {@code port + 10}, where client commands look for it on loopback. */
        public StartDev(Path cli, int port) {
            this.cli = cli;
            this.port = port;
            this.httpPort = port + 10;
        }

        /** Serve Temporal's HTTP API on this port instead. */
        public StartDev http(int httpPort) {
            this.httpPort = httpPort;
            return this;
        }

        /** Serve the Web UI on this port (on 127.0.0.1). */
        public StartDev ui(int uiPort) {
            this.uiPort = uiPort;
            return this;
        }

        /** Keep the state in this SQLite file (null: in memory). */
        public StartDev dbFile(Path file) {
            this.dbFile = file;
            return this;
        }

        /** Only errors in the server's log. */
        public StartDev quiet() {
            this.quiet = true;
            return this;
        }

        /** The caller creates the search attributes ({@code temporal operator search-attribute create}). */
        public StartDev withoutSearchAttributes() {
            this.searchAttributes = false;
            return this;
        }

        public List<String> argv() {
            List<String> argv = new ArrayList<>(List.of(
                    cli.toString(),
                    "server",
                    "start-dev",
                    "--ip",
                    "127.0.0.1",
                    "--port",
                    String.valueOf(port),
                    "--http-port",
                    String.valueOf(httpPort)));
            if (quiet) {
                argv.addAll(List.of("--log-level", "error"));
            }
            if (searchAttributes) {
                for (String attribute : SEARCH_ATTRIBUTES) {
                    argv.addAll(List.of("--search-attribute", attribute));
                }
            }
            if (dbFile != null) {
                argv.addAll(List.of("--db-filename", dbFile.toString()));
            }
            if (uiPort > 0) {
                argv.addAll(List.of("--ui-ip", "127.0.0.1", "--ui-port", String.valueOf(uiPort)));
            } else {
                argv.add("--headless");
            }
            return argv;
        }
    }

    /** The project's search attributes as {@code NAME=Type}, as the CLI's flags and commands take them. */
    public static final List<String> SEARCH_ATTRIBUTES = DowntimeSearchAttributes.types().entrySet().stream()
            .map(e -> e.getKey() + "=" + cliType(e.getValue()))
            .toList();

    /** {@code INDEXED_VALUE_TYPE_KEYWORD} as the CLI spells it: {@code Keyword}. */
    private static String cliType(IndexedValueType type) {
        String word = type.name().substring("INDEXED_VALUE_TYPE_".length());
        return word.charAt(0) + word.substring(1).toLowerCase(java.util.Locale.ROOT);
    }

    private boolean answers(Path cli) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cli.toString(), "operator", "cluster", "health", "--address", target())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    public String target() {
        return "127.0.0.1:" + port;
    }

    /** Where its HTTP API answers, {@code 127.0.0.1:PORT}. */
    public String httpTarget() {
        return "127.0.0.1:" + httpPort;
    }

    /** The Web UI's address, e.g. {@code http://127.0.0.1:8233}. */
    public String ui() {
        return "http://127.0.0.1:" + uiPort;
    }

    /** Where the UI shows one workflow. */
    public String uiLink(String workflowId) {
        return ui() + "/namespaces/default/workflows/" + workflowId;
    }

    /** {@code preferred} when it is free on loopback, else any free port. */
    public static int freePort(int preferred) throws IOException {
        if (preferred > 0) {
            try (ServerSocket s = new ServerSocket(preferred, 1, java.net.InetAddress.getLoopbackAddress())) {
                return preferred;
            } catch (IOException taken) {
                // fall through to any free port
            }
        }
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Stops the server by its process id (SIGTERM, then SIGKILL after 15 s). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temporary file
        }
    }
}
