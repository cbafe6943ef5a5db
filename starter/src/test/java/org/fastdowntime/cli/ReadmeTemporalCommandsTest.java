package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fastdowntime.release.Git;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's {@code temporal} commands, read from the README itself and run as they are printed, against the
 * real Temporal server ({@code temporal server start-dev}) and a worker in a JVM of its own; then what the README
 * says they do is checked. Also a whole window approved with {@code temporal workflow signal}.
 */
class ReadmeTemporalCommandsTest {
    static final String FAST_ID = "fast-downtime-production-20301202T0830Z";

    @RegisterExtension
    static final RealTemporal temporal = RealTemporal.headless();

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    WorkerProcess worker;

    @BeforeEach
    void world() throws Exception {
        Path folder = db.demoFolder(dir, name -> true);
        Path config = TestWorkerYaml.of("production", db, folder)
                .taskQueue("fastdowntime")
                .approvers("alice", "bob")
                .signOffApprovers("francis")
                .budget("qaLead", "2s")
                .sections("""
                        monthly:
                          production:
                            repository: %s
                            develBranch: devel
                            dbStableBranch: db-stable
                            patchesPath: database/schema
                            parties:
                              stakeholders: [sam]
                              operations: [olga]
                              dba: [stuart]
                            leads: [francis]
                            committer: "PQM <pqm@example.com>"
                        """.formatted(repository(folder)))
                .write(dir.resolve("worker.yaml"));
        worker = WorkerProcess.start(config, temporal.target(), dir.resolve("worker.log"))
                .awaitPolling();
    }

    /** The monthly process's repository: devel and db-stable with the patch folder under database/schema. */
    private Path repository(Path patches) throws Exception {
        Path repo = dir.resolve("repo");
        Files.createDirectories(repo.resolve("database/schema"));
        try (var files = Files.list(patches)) {
            for (Path f : files.toList()) {
                Files.copy(f, repo.resolve("database/schema").resolve(f.getFileName()));
            }
        }
        Git git = new Git(repo);
        git.run("init", "-q", "-b", "devel");
        git.run("config", "user.name", "Dev Eloper");
        git.run("config", "user.email", "dev@example.com");
        git.run("add", "-A");
        git.run("commit", "-q", "-m", "Baseline and patches.");
        git.run("branch", "db-stable");
        return repo;
    }

    @AfterEach
    void stopWorker() throws Exception {
        worker.close();
    }

    private String workerLog() throws Exception {
        return worker.log();
    }

    /** The docs' section {@code heading} (a second-level heading of the README or a guide), to the next one. */
    static String readmeSection(String heading) throws Exception {
        for (Path doc : DocsTest.docs()) {
            String text = Files.readString(doc);
            int from = text.indexOf("\n## " + heading + "\n");
            if (from >= 0) {
                int to = text.indexOf("\n## ", from + 4);
                return text.substring(from, to < 0 ? text.length() : to);
            }
        }
        throw new AssertionError("the docs have a section '" + heading + "'");
    }

    /** The {@code temporal …} commands of the README's section {@code heading}, continuation lines joined. */
    static List<String> readmeCommands(String heading) throws Exception {
        String section = readmeSection(heading);
        List<String> out = new ArrayList<>();
        boolean inCode = false;
        StringBuilder current = null;
        for (String line : section.split("\n")) {
            if (line.startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            if (!inCode) {
                continue;
            }
            if (current != null) {
                current.append(' ').append(line.strip());
            } else if (line.startsWith("temporal ")) {
                current = new StringBuilder(line.strip());
            } else {
                continue;
            }
            if (current.toString().endsWith("\\")) {
                current.setLength(current.length() - 1);
            } else {
                out.add(current.toString().replaceAll("\\s+", " ").strip());
                current = null;
            }
        }
        return out;
    }

    /** Runs a command line as a person's shell would, with the pinned CLI on the PATH and TEMPORAL_ADDRESS set. */
    RealTemporal.Result shell(String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true);
        pb.environment().put("PATH", RealTemporal.cli().getParent() + ":" + System.getenv("PATH"));
        pb.environment().put("TEMPORAL_ADDRESS", temporal.target());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), command);
        return new RealTemporal.Result(p.exitValue(), out);
    }

    /** Runs {@code command} until its output passes {@code ok} (visibility is eventually consistent). */
    String until(String command, Predicate<String> ok) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            RealTemporal.Result r = shell(command);
            assertEquals(0, r.exit(), command + "\n" + r.out());
            if (ok.test(r.out())) {
                return r.out();
            }
            assertTrue(System.nanoTime() < deadline, command + " never showed what was expected:\n" + r.out());
            Thread.sleep(300);
        }
    }

    JsonNode query(String workflowId, String type, String... input) throws Exception {
        return temporal.query(workflowId, type, input);
    }

    @Test
    void theReadmesFastDowntimeCommandsDoWhatTheReadmeSays() throws Exception {
        List<String> commands = readmeCommands("Using it from the Temporal UI and CLI").stream()
                .filter(c -> c.contains(FAST_ID) || c.startsWith("temporal workflow list"))
                .toList();
        assertEquals(8, commands.size(), "start, approve, signOff, qaBad, status, abort and two lists: " + commands);
        for (String c : commands) {
            if (c.startsWith("temporal workflow list")) {
                until(c, out -> out.contains(FAST_ID));
            } else {
                RealTemporal.Result r = shell(c);
                assertEquals(0, r.exit(), c + "\n" + r.out());
                if (c.contains("update execute")) {
                    assertTrue(r.out().contains("approved"), "the update answers the verdict: " + r.out());
                }
            }
        }
        JsonNode status = query(FAST_ID, "status");
        assertEquals("ABORTED", status.get("stage").asText(), status.toString());
        JsonNode patches = status.get("patches");
        assertEquals("2300-01-0", patches.get(0).get("id").asText());
        assertEquals("alice", patches.get(0).get("qaBy").asText());
        assertEquals("francis", patches.get(0).get("signedOffBy").asText());
        assertEquals("REJECTED", patches.get(1).get("state").asText(), patches.toString());
        List<String> accepted = new ArrayList<>();
        status.get("signals").forEach(s -> {
            if (s.get("accepted").asBoolean()) {
                accepted.add(s.get("signal").asText());
            }
        });
        assertEquals(
                List.of("qaOk", "signOff", "qaBad", "abort"),
                accepted,
                status.get("signals").toString());
        assertTrue(status.get("message").asText().contains("replication lag"), status.toString());
    }

    @Test
    void theReadmesLedgerCommandsRecordAVerdictWithNoWindow() throws Exception {
        List<String> commands = readmeCommands("Using it from the Temporal UI and CLI").stream()
                .filter(c -> c.contains("approvals-production"))
                .toList();
        assertEquals(4, commands.size(), "start, record, give and show: " + commands);
        for (String c : commands) {
            RealTemporal.Result r = shell(c);
            assertEquals(0, r.exit(), c + "\n" + r.out());
            if (c.contains("update execute")) {
                assertTrue(r.out().contains("2300-04-0"), "the update answers the entries recorded: " + r.out());
            }
        }
        JsonNode view = query("approvals-production", "show");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (view.get("entries").size() < 2) { // the signal is recorded in turn
            assertTrue(System.nanoTime() < deadline, "the signal's verdict was recorded: " + view);
            Thread.sleep(200);
            view = query("approvals-production", "show");
        }
        JsonNode entries = view.get("entries");
        String show = view.toString();
        assertEquals(2, entries.size(), show);
        assertEquals("alice", entries.get(0).get("by").asText());
        assertEquals("francis", entries.get(1).get("by").asText());
        assertEquals(64, entries.get(1).get("sha256").asText().length(), "keyed by the file's checksum");
    }

    /** The signal table of the README's section {@code heading}: signal name → its example payload. */
    static Map<String, String> readmeSignals(String heading) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `(\\w+)` \\| `(\\{.*\\})` \\|").matcher(readmeSection(heading));
        while (row.find()) {
            out.put(row.group(1), row.group(2));
        }
        return out;
    }

    @Test
    void theReadmesMonthlyCommandStartsAMonthThatTakesTheTablesSignals() throws Exception {
        List<String> commands = readmeCommands("Using it from the Temporal UI and CLI").stream()
                .filter(c -> c.contains("--type MonthlyDowntime"))
                .toList();
        assertEquals(1, commands.size(), commands.toString());
        RealTemporal.Result started = shell(commands.get(0));
        assertEquals(0, started.exit(), started.out());
        Matcher id = Pattern.compile("--workflow-id (\\S+)").matcher(commands.get(0));
        assertTrue(id.find());
        Map<String, String> table = readmeSignals("Using it from the Temporal UI and CLI");
        // The README's qa-revision: unsigned, it is the signal qaOk; signed, the update qaOkSigned, which this
        // environment (no allowed signers) refuses with why.
        RealTemporal.Result qa = fastdowntime("qa-revision", id.group(1), "--revision", "4f2a9c1e07", "--by", "alice");
        assertEquals(0, qa.exit(), qa.out());
        Path key = org.fastdowntime.testing.OpenSsh.keygen(dir, "alice_ed25519", "ed25519");
        RealTemporal.Result signed = fastdowntime(
                "qa-revision",
                id.group(1),
                "--revision",
                "4f2a9c1e07",
                "--by",
                "alice",
                "--sign",
                "--key",
                key.toString());
        assertEquals(44, signed.exit(), signed.out());
        assertTrue(signed.out().contains("production has no allowed signers"), signed.out());
        for (String signal : List.of("confirmWindow", "abort")) {
            assertTrue(table.containsKey(signal), "the README's table gives " + signal + ": " + table);
            RealTemporal.Result sent = temporal.temporal(
                    "workflow", "signal", "--workflow-id", id.group(1), "--name", signal, "--input", table.get(signal));
            assertEquals(0, sent.exit(), sent.out());
        }
        JsonNode status = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (status == null || !status.get("stage").asText().equals("ABORTED")) {
            assertTrue(System.nanoTime() < deadline, "the month is aborted: " + status + "\n" + workerLog());
            Thread.sleep(300);
            status = temporal.tryQuery(id.group(1), "status");
        }
        List<String> accepted = new ArrayList<>();
        status.get("signals").forEach(s -> {
            if (s.get("accepted").asBoolean()) {
                accepted.add(s.get("signal").asText() + " by " + s.get("by").asText());
            }
        });
        assertEquals(
                List.of("qaOk by alice", "confirmWindow by stuart", "abort by francis"), accepted, status.toString());
        assertEquals("2030-12-10T22:00:00Z", status.get("main").asText(), status.toString());
        until(temporalLine("workflow list --query 'DowntimeStage=\"ABORTED\"'"), out -> out.contains(id.group(1)));
    }

    /** A fastdowntime command as a process of its own, told where the server is. */
    private RealTemporal.Result fastdowntime(String... args) throws Exception {
        List<String> argv = TestJvm.argv(System.getProperty("java.class.path"), List.of(args));
        argv.addAll(List.of("--target", temporal.target()));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", args));
        return new RealTemporal.Result(p.exitValue(), out);
    }

    @Test
    void theReadmesCalendarCommandsStartItMoveAWindowAndShowTheChange() throws Exception {
        List<String> commands = readmeCommands("Using it from the Temporal UI and CLI").stream()
                .filter(c -> c.contains("downtime-calendar-production"))
                .toList();
        assertEquals(3, commands.size(), "start, moveWindow, upcoming: " + commands);
        String upcoming = null;
        for (String c : commands) {
            RealTemporal.Result r = c.contains("moveWindow")
                    ? retryUpdate(c) // the calendar answers updates once its policy is loaded
                    : shell(c);
            assertEquals(0, r.exit(), c + "\n" + r.out());
            upcoming = r.out();
        }
        assertTrue(upcoming.contains("FAST@"), "the README's upcoming query lists windows: " + upcoming);
        JsonNode view = query("downtime-calendar-production", "upcoming", "10");
        assertEquals(10, view.get("upcoming").size(), view.toString());
        JsonNode change = view.get("changes").get(0);
        assertEquals("moveWindow", change.get("signal").asText());
        assertEquals("alice", change.get("by").asText());
        assertEquals(
                "moved FAST@2027-03-02T08:30:00Z to 2027-03-02T12:00:00Z",
                change.get("reason").asText());
        temporal.temporal("workflow", "terminate", "--workflow-id", "downtime-calendar-production", "--reason", "test");
    }

    private RealTemporal.Result retryUpdate(String command) throws Exception {
        RealTemporal.Result r = shell(command);
        for (int i = 0; i < 20 && r.exit() != 0; i++) {
            Thread.sleep(250);
            r = shell(command);
        }
        return r;
    }

    @Test
    void aWholeWindowApprovedWithTheTemporalCliEndsDoneWithItsOutage() throws Exception {
        String id = "fast-downtime-production-cli";
        Instant at = Instant.now().plusSeconds(8);
        RealTemporal.Result started = temporal.temporal(
                "workflow",
                "start",
                "--task-queue",
                "fastdowntime",
                "--type",
                "FastDowntime",
                "--workflow-id",
                id,
                "--input",
                "{\"environment\":\"production\",\"windowStart\":\"" + at + "\",\"patches\":[\"2300-01-0\"]}");
        assertEquals(0, started.exit(), started.out());
        RealTemporal.Result ok = temporal.temporal(
                "workflow",
                "signal",
                "--workflow-id",
                id,
                "--name",
                "qaOk",
                "--input",
                "{\"patch\":\"2300-01-0\",\"by\":\"alice\",\"note\":\"checked on qastaging\"}");
        assertEquals(0, ok.exit(), ok.out());
        until(
                temporalLine("workflow describe --workflow-id " + id),
                out -> out.matches("(?s).*Status\\s+(COMPLETED|FAILED).*"));
        JsonNode status = query(id, "status");
        assertEquals("DONE", status.get("stage").asText(), status.toString() + "\n" + workerLog());
        assertTrue(status.get("outage").get("outageMillis").asLong() > 0, status.toString());
        try (Connection c = DriverManager.getConnection(db.url());
                Statement st = c.createStatement();
                var rs = st.executeQuery(
                        "SELECT count(*) FROM LaunchpadDatabaseRevision WHERE major = 2300 AND minor = 1")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "applied and recorded");
        }
        until(temporalLine("workflow list --query 'DowntimeStage=\"DONE\"'"), out -> out.contains(id));
    }

    private static String temporalLine(String args) {
        return "temporal " + args;
    }
}
