package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fastdowntime.activity.Json;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.testing.TestDatabase;
import org.fastdowntime.worker.DevServer;
import org.fastdowntime.worker.WorkerRuntime;
import org.fastdowntime.worker.config.WorkerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * start / approve / status / abort as people type them, against the embedded service and a real
 * worker.
 */
class WindowCommandsTest {
    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path folder;

    WorkerRuntime worker;
    String target;
    static final String QUEUE = "cli-test";

    @BeforeEach
    void world() throws Exception {
        TestDatabase.copyDemoPatches(folder, name -> true);
        db.loadBaseline(folder);
        EnvironmentSettings env = EnvironmentSettings.builder("cli", db.url().replaceAll("\\?.*$", ""))
                .patches(folder)
                .approvers(List.of("alice"))
                .signOffApprovers(List.of("francis"))
                // A "now" window starts the quiesce lead after QA: 2 s here.
                .budgets(org.fastdowntime.env.Budgets.defaults()
                        .withLeads(
                                Duration.ofHours(1),
                                Duration.ofSeconds(2),
                                Duration.ofSeconds(1),
                                Duration.ofMillis(500)))
                .build();
        hook = new org.fastdowntime.testing.RecordingHttpServer();
        DevServer server = DevServer.start(0);
        target = server.target();
        WorkerConfig config = new WorkerConfig(org.fastdowntime.worker.TemporalSettings.NONE, Map.of("cli", env))
                .withAnnounce(Map.of(
                        "cli",
                        new org.fastdowntime.announce.AnnounceSettings(
                                List.of(new org.fastdowntime.announce.AnnounceSettings.Webhook(
                                        hook.url("/hook"), Duration.ofSeconds(5))),
                                null,
                                true)))
                .withHttp(new WorkerConfig.Http("127.0.0.1", 0));
        worker = WorkerRuntime.start(config, target, "default", QUEUE, server);
    }

    @AfterEach
    void stop() {
        worker.shutdown(Duration.ofSeconds(5));
        hook.close();
    }

    org.fastdowntime.testing.RecordingHttpServer hook;

    private String get(String path) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var r = http.send(
                java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + worker.httpPort() + path))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return r.body();
    }

    /**
     * Waits for Temporal's metrics reporter (every second) to carry a line matching {@code regex}.
     */
    private String metricsWith(String regex) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex, java.util.regex.Pattern.MULTILINE);
        while (true) {
            String m = get("/metrics");
            if (p.matcher(m).find()) {
                return m;
            }
            assertTrue(System.nanoTime() < deadline, "no metric " + regex + " in:\n" + m);
            Thread.sleep(250);
        }
    }

    private Cli cli(String... args) {
        String[] all = Stream.concat(Stream.of(args), Stream.of("--target", target, "--task-queue", QUEUE))
                .toArray(String[]::new);
        return Cli.run(all);
    }

    private JsonNode statusWhen(String id, String stage) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Cli s = cli("status", id, "--json");
            assertEquals(0, s.exit(), s.toString());
            JsonNode doc = Json.mapper().readTree(s.out());
            if (doc.get("stage").asText().equals(stage)) {
                return doc;
            }
            assertTrue(System.nanoTime() < deadline, "stage " + stage + " never reached: " + s.out());
            Thread.sleep(100);
        }
    }

    @Test
    void approveTakesSeveralPatchesWaitsForTheVerdictsAndFailsWhenOneIsRefused() throws Exception {
        String at = Instant.now()
                .plus(Duration.ofHours(3))
                .truncatedTo(ChronoUnit.SECONDS)
                .toString();
        Cli start = cli("start", "fast-downtime", "--environment", "cli", "--at", at);
        assertEquals(0, start.exit(), start.toString());
        String id = start.out().trim();
        statusWhen(id, "AWAITING_QA");

        Cli mallory = cli("approve", id, "--all-pending", "--by", "mallory");
        assertEquals(44, mallory.exit(), mallory.toString());
        assertTrue(mallory.err().contains("mallory is not a configured approver"), mallory.err());
        assertEquals(0, statusWhen(id, "AWAITING_QA").get("signals").size(), "a refused update records nothing");

        Cli two = cli("approve", id, "--patch", "2300-01-0", "--patch", "2300-02-0", "--by", "alice");
        assertEquals(0, two.exit(), two.toString());
        assertTrue(two.out().contains("qaOk 2300-01-0 by alice: taken; 2300-01-0 is now approved"), two.out());
        assertTrue(two.out().contains("qaOk 2300-02-0 by alice: taken; 2300-02-0 is now approved"), two.out());

        Cli again = cli("approve", id, "--patch", "2300-01-0", "--by", "alice");
        assertEquals(44, again.exit(), again.toString());
        assertTrue(again.err().contains("duplicate: already approved by alice"), again.err());

        Cli signOff = cli("approve", id, "--patch", "2300-01-0", "--by", "alice", "--sign-off");
        assertEquals(44, signOff.exit(), signOff.toString());
        assertTrue(signOff.err().contains("alice is not a configured sign-off approver"), signOff.err());

        Cli rest = cli("approve", id, "--all-pending", "--by", "alice", "--reject", "--reason", "not checked yet");
        assertEquals(0, rest.exit(), rest.toString());
        // Every candidate is decided: QA closes, the bundle is sealed (rehearsed on a copy of the schema), and the
        // window waits for its quiesce lead.
        JsonNode status = statusWhen(id, "WAITING_FOR_WINDOW");
        for (JsonNode p : status.get("patches")) {
            String expected =
                    List.of("2300-01-0", "2300-02-0").contains(p.get("id").asText()) ? "APPROVED" : "REJECTED";
            assertEquals(
                    expected, p.get("state").asText(), status.get("patches").toString());
        }
        cli("abort", id, "--by", "alice", "--reason", "test over");
    }

    @Test
    void releaseManagerStartsQaApprovesAndTheWindowRuns() throws Exception {
        Cli start =
                cli("start", "fast-downtime", "--environment", "cli", "--patch", "2300-01-0", "--patch", "2300-02-0");
        assertEquals(0, start.exit(), start.toString());
        String id = start.out().trim();
        assertTrue(id.startsWith("fast-downtime-cli-now-"), id);

        assertEquals(
                0, cli("approve", id, "--patch", "2300-01-0", "--by", "alice").exit());
        Cli reject = cli(
                "approve", id, "--patch", "2300-02-0", "--by", "alice", "--reject", "--reason", "slow on qastaging");
        assertEquals(0, reject.exit(), reject.toString());
        JsonNode done = statusWhen(id, "DONE");
        assertEquals("APPLIED", done.get("patches").get(0).get("state").asText());
        assertEquals("REJECTED", done.get("patches").get(1).get("state").asText());
        assertTrue(done.get("outage").get("outageMillis").asLong() > 0);
        assertEquals(1, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 1"));
        assertEquals(0, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 2"));

        Cli human = cli("status", id);
        assertTrue(human.out().contains(id + ": DONE (cli)"), human.out());
        assertTrue(human.out().contains("Outage complete."), human.out());
        assertTrue(
                human.out().contains("Bundle sealed: 2300-01-0 (SHA-256 ")
                        && human.out().contains("rehearsed on a copy of cli's schema")
                        && human.out()
                                .contains("Bundle SHA-256 "
                                        + done.get("bundle").get("sha256").asText()),
                "a DBA reads what ran and how it was rehearsed: " + human.out());
        assertTrue(human.out().contains("REJECTED") && human.out().contains("slow on qastaging"), human.out());

        // Announcements: each lifecycle event once, on the webhook and in the feed.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (hook.received("/hook").stream().noneMatch(r -> r.body().contains("\"event\":\"done\""))) {
            assertTrue(System.nanoTime() < deadline, "no done announcement: " + hook.received("/hook"));
            Thread.sleep(100);
        }
        List<String> events = hook.received("/hook").stream()
                .map(r -> r.header("Idempotency-Key").substring(id.length() + 1))
                .sorted()
                .toList();
        assertEquals(List.of("announced", "done", "starting"), events);
        JsonNode doneHook = Json.mapper()
                .readTree(hook.received("/hook").stream()
                        .filter(r -> r.body().contains("\"event\":\"done\""))
                        .findFirst()
                        .orElseThrow()
                        .body());
        assertEquals(
                done.get("outage").get("outageMillis").asText(),
                doneHook.get("fields").get("outageMillis").asText());
        String feed = get("/feed/cli.atom");
        assertTrue(
                feed.contains("<feed") && feed.contains("cli: done (" + id + ")") && feed.contains("cli: starting"),
                feed);

        // Metrics: the project's own next to Temporal's, on the worker's Prometheus endpoint.
        String m = metricsWith("^fastdowntime_windows_total\\{.*outcome=\"done\".*\\} 1\\.0$");
        // The SDK counts the completion once the workflow task that returns is done: a scrape or two later.
        m = metricsWith("^temporal_workflow_completed_total\\{[^}]*\\} [1-9]");
        for (String metric : List.of(
                "fastdowntime_outage_seconds_count",
                "fastdowntime_patch_seconds_count",
                "fastdowntime_qa_wait_seconds_count",
                "fastdowntime_lead_time_seconds_count",
                "fastdowntime_announcements_total",
                "temporal_workflow_completed_total")) {
            assertTrue(
                    java.util.regex.Pattern.compile(
                                    "^" + metric + "\\{[^}]*\\} [1-9]", java.util.regex.Pattern.MULTILINE)
                            .matcher(m)
                            .find(),
                    metric + " missing or zero in:\n" + m);
        }
        String outageLine = m.lines()
                .filter(l -> l.startsWith("fastdowntime_outage_seconds_sum{"))
                .findFirst()
                .orElseThrow();
        double seconds = Double.parseDouble(outageLine.substring(outageLine.lastIndexOf(' ') + 1));
        assertEquals(done.get("outage").get("outageMillis").asLong() / 1000.0, seconds, 0.002, outageLine);

        // The window is in the history the report reads.
        Cli report = Cli.run("report", "--db", db.url(), "--json");
        assertEquals(0, report.exit(), report.toString());
        JsonNode r = Json.mapper().readTree(report.out());
        assertEquals(1, r.get("windows").size());
        assertEquals(id, r.get("windows").get(0).get("deploymentId").asText());
        assertEquals(
                done.get("outage").get("outageMillis").asLong(),
                r.get("windows").get(0).get("outageMillis").asLong());
    }

    @Test
    void abortBeforeTheWindowEndsItWithNothingChanged() throws Exception {
        String at = Instant.now().plus(Duration.ofDays(1)).toString();
        Cli start = cli("start", "fast-downtime", "--environment", "cli", "--at", at);
        assertEquals(0, start.exit(), start.toString());
        String id = start.out().trim();
        Cli again = cli("start", "fast-downtime", "--environment", "cli", "--at", at);
        assertEquals(42, again.exit(), again.toString());
        Cli second = cli("start", "fast-downtime", "--environment", "cli");
        assertEquals(43, second.exit(), "one window per environment at a time: " + second);
        assertTrue(
                second.err().contains("WINDOW_BUSY") && second.err().contains(id), "names the running one: " + second);

        Cli abort = cli("abort", id, "--reason", "release freeze", "--by", "francis");
        assertEquals(0, abort.exit(), abort.toString());
        JsonNode aborted = statusWhen(id, "ABORTED");
        assertEquals("ABORTED", aborted.get("failureType").asText());
        assertEquals(1, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE major = 2300 AND minor <> 3"));
    }

    @Test
    void clearErrorsForBadInputUnknownWindowsAndNoServer() {
        Cli badAt = cli("start", "fast-downtime", "--environment", "cli", "--at", "tomorrow");
        assertEquals(2, badAt.exit(), badAt.toString());
        Cli noReason = cli("approve", "x", "--patch", "2300-01-0", "--by", "alice", "--reject");
        assertEquals(2, noReason.exit(), noReason.toString());
        Cli unknown = cli("status", "no-such-window");
        assertEquals(41, unknown.exit(), unknown.toString());
        assertTrue(unknown.err().contains("no workflow no-such-window"), unknown.err());
        Cli noServer = Cli.run("status", "x", "--target", "127.0.0.1:1");
        assertEquals(40, noServer.exit(), noServer.toString());
        assertTrue(noServer.err().contains("cannot reach Temporal at 127.0.0.1:1"), noServer.err());
        assertTrue(
                noServer.err().contains("nothing answers on 127.0.0.1:1")
                        && noServer.err().contains("--config"),
                "refused at once, and where to say the server is: " + noServer.err());
    }

    @Test
    void calendarStartsOnceShowsItsWindowsAndValidatesChanges() throws Exception {
        Path rules = folder.resolve("rules.yaml");
        java.nio.file.Files.writeString(rules, """
        fastSlots:
          - {days: Mon-Fri, time: "08:30", zone: Europe/London}
        monthly:
          - {week: second, day: Tue, time: "22:00", zone: Europe/London, backupAfterDays: 2}
        blackouts: ["2099-12-24..2099-12-26"]
        """);
        Cli start = cli("calendar", "start", "--environment", "cli", "--rules", rules.toString());
        assertEquals(0, start.exit(), start.toString());
        assertEquals("downtime-calendar-cli", start.out().trim());
        Cli again = cli("calendar", "start", "--environment", "cli");
        assertEquals(42, again.exit(), again.toString());
        assertTrue(again.err().contains("already exists"), again.err());

        Cli show = cli("calendar", "show", "--environment", "cli", "--count", "30", "--json");
        assertEquals(0, show.exit(), show.toString());
        JsonNode view = Json.mapper().readTree(show.out());
        assertEquals(30, view.get("upcoming").size());
        boolean monthly = false;
        for (JsonNode w : view.get("upcoming")) {
            monthly |= w.get("kind").asText().equals("MONTHLY") && w.hasNonNull("backup");
        }
        assertTrue(monthly, "a monthly window with its backup within 30 weekday slots: " + show.out());
        assertEquals("2099-12-24..2099-12-26", view.get("blackouts").get(0).asText());
        Cli text = cli("calendar", "show", "--environment", "cli");
        assertTrue(text.out().contains("Upcoming:") && text.out().contains("FAST"), text.out());

        String first = view.get("upcoming").get(0).get("start").asText();
        Instant later = Instant.parse(first).plus(Duration.ofHours(3));
        Cli moved = cli(
                "calendar", "move", "--environment", "cli", "--at", first, "--to", later.toString(), "--by", "alice");
        assertEquals(0, moved.exit(), moved.toString());
        assertTrue(moved.out().contains(later.toString()), moved.out());
        Cli refused = cli(
                "calendar",
                "add-window",
                "--environment",
                "cli",
                "--at",
                later.plusSeconds(60).toString(),
                "--by",
                "alice");
        assertEquals(44, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("would overlap"), refused.err());
        Cli stranger = cli("calendar", "pause", "--environment", "cli", "--by", "mallory");
        assertEquals(44, stranger.exit(), stranger.toString());
        assertTrue(stranger.err().contains("mallory may not change the calendar"), stranger.err());
        assertEquals(
                44,
                cli("calendar", "blackout", "--environment", "cli", "--from", "2099-01-01", "--by", "bob")
                        .exit(),
                "bob is not an approver here: only alice and francis are");
        Cli blackout = cli("calendar", "blackout", "--environment", "cli", "--from", "2099-01-01", "--by", "alice");
        assertEquals(0, blackout.exit(), blackout.toString());
        assertEquals(
                0,
                cli("calendar", "pause", "--environment", "cli", "--by", "francis")
                        .exit());
        assertTrue(cli("calendar", "show", "--environment", "cli").out().contains("PAUSED"));
    }

    @Test
    void calendarRulesAreCheckedBeforeAnythingStarts() throws Exception {
        Path bad = folder.resolve("bad.yaml");
        java.nio.file.Files.writeString(bad, "fastSlots:\n  - {days: Mon-Fri, time: \"25:30\", zone: UTC}\n");
        Cli c = cli("calendar", "start", "--environment", "cli", "--rules", bad.toString());
        assertEquals(2, c.exit(), c.toString());
        assertTrue(c.err().contains(bad.toString()) && c.err().contains("25:30"), c.err());
        java.nio.file.Files.writeString(bad, "fastSlot: []\n");
        Cli unknown = cli("calendar", "start", "--environment", "cli", "--rules", bad.toString());
        assertEquals(2, unknown.exit(), unknown.toString());
        assertTrue(unknown.err().contains("fastSlot"), unknown.err());
        Cli slots = cli("calendar", "start", "--environment", "cli", "--slots", "Mon-Fri 08:30");
        assertEquals(2, slots.exit(), slots.toString());
        assertTrue(slots.err().contains("DAYS HH:MM ZONE"), slots.err());
        Cli none = cli("calendar", "show", "--environment", "cli");
        assertEquals(41, none.exit(), "nothing was started: " + none);
    }
}
