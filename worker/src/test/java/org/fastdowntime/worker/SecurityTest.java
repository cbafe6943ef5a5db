package org.fastdowntime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fastdowntime.activity.Json;
import org.fastdowntime.announce.AnnounceSettings;
import org.fastdowntime.calendar.DowntimeCalendarWorkflow;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.model.CalendarRequest;
import org.fastdowntime.model.CalendarRules;
import org.fastdowntime.model.FastDowntimeRequest;
import org.fastdowntime.model.FastDowntimeResult;
import org.fastdowntime.model.FastDowntimeStatus;
import org.fastdowntime.model.MonthlyDowntimeRequest;
import org.fastdowntime.model.QaSignal;
import org.fastdowntime.monthly.MonthlyDowntimeWorkflow;
import org.fastdowntime.release.Git;
import org.fastdowntime.release.MonthlySettings;
import org.fastdowntime.testing.RecordingHttpServer;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Who may approve, and where secrets may never appear. */
class SecurityTest {
    static final String DB_PASSWORD = "s3cret-db-Pw0";
    static final String SMTP_PASSWORD = "s3cret-smtp-Pw1";
    static final String HOOK_TOKEN = "T0KEN-s3cret-hook";

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP)
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("fdt", SMTP_PASSWORD));

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path patches;

    @TempDir
    Path repo;

    WindowFixture w;
    RecordingHttpServer hook;
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void world() throws Exception {
        w = new WindowFixture(db, patches);
        hook = new RecordingHttpServer();
        logs.start();
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterEach
    void cleanUp() throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .detachAppender(logs);
        hook.close();
        w.close();
    }

    /** devel holds the patches, 2300-01-0 written by Alice. */
    private MonthlySettings repository() throws Exception {
        Git git = new Git(repo);
        git.run("init", "-q", "-b", "devel");
        git.run("config", "user.name", "Dev Eloper");
        git.run("config", "user.email", "dev@example.com");
        Files.createDirectories(repo.resolve("database/schema"));
        for (String f :
                List.of("demo-2300-00-0.sql", "patch-2300-02-0.sql", "patch-2300-03-0.sql", "patch-2300-04-0.sql")) {
            Files.copy(patches.resolve(f), repo.resolve("database/schema/" + f));
        }
        git.run("add", "-A");
        git.run("commit", "-q", "-m", "Baseline and patches.");
        Files.copy(patches.resolve("patch-2300-01-0.sql"), repo.resolve("database/schema/patch-2300-01-0.sql"));
        git.run("add", "-A");
        git.run(
                "-c",
                "user.name=Alice Liddell",
                "-c",
                "user.email=alice@example.org",
                "commit",
                "-q",
                "-m",
                "Bug tags.");
        return new MonthlySettings(
                repo,
                "devel",
                "db-stable",
                "database/schema",
                null,
                null,
                Map.of("dba", List.of("stuart")),
                List.of("francis"),
                null,
                null,
                MonthlySettings.Timing.defaults());
    }

    @Test
    void theAuthorOfAPatchCannotApproveIt() throws Exception {
        w.monthly.put("test", repository());
        w.start(true);
        FastDowntimeWorkflow window = w.newWindow("authored");
        WorkflowClient.start(
                window::run,
                new FastDowntimeRequest(
                        "test", w.now().plus(Duration.ofHours(2)).toString(), List.of("2300-01-0")));
        window.qaOk(new QaSignal("2300-01-0", "alice", "lgtm", null));
        window.qaOk(new QaSignal("2300-01-0", "bob", "checked on qastaging", null));
        FastDowntimeResult r = WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class);
        assertEquals(org.fastdowntime.model.Outcome.COMPLETED, r.outcome());
        FastDowntimeStatus s = w.existing("authored").status();
        assertEquals(
                "alice wrote 2300-01-0 (Alice Liddell <alice@example.org>) and cannot approve it",
                s.signals().get(0).reason());
        assertFalse(s.signals().get(0).accepted());
        assertEquals("bob", s.patches().get(0).qaBy());
    }

    @Test
    void noSecretInHistoriesSearchAttributesStatusOrLogs() throws Exception {
        EnvironmentSettings t = w.environments.get("test");
        w.environments.put(
                "test",
                EnvironmentSettings.builder(t.name(), t.jdbcUrl())
                        .user(t.user())
                        .password(DB_PASSWORD)
                        .patches(t.patches())
                        .revisionTable(t.revisionTable())
                        .maintenanceDatabase(t.maintenanceDatabase())
                        .staging(t.staging())
                        .approvers(t.approvers())
                        .signOffApprovers(t.signOffApprovers())
                        .systemUsers(t.systemUsers())
                        .fragileUsers(t.fragileUsers())
                        .badUsers(t.badUsers())
                        .quiesce(t.quiesce())
                        .resume(t.resume())
                        .checkUrls(t.checkUrls())
                        .checkSql(t.checkSql())
                        .budgets(t.budgets())
                        .build());
        hook.answer("/hooks/" + HOOK_TOKEN, 500); // a failing channel: its errors go into histories and status
        w.announce.put(
                "test",
                new AnnounceSettings(
                        List.of(new AnnounceSettings.Webhook(
                                hook.url("/hooks/" + HOOK_TOKEN + "?key=" + HOOK_TOKEN), Duration.ofSeconds(2))),
                        new AnnounceSettings.Email(
                                "127.0.0.1",
                                smtp.getSmtp().getPort(),
                                "none",
                                "fdt",
                                SMTP_PASSWORD,
                                "fdt@example.org",
                                List.of("ops@example.org"),
                                Duration.ofSeconds(5)),
                        true));
        w.start(true);

        FastDowntimeWorkflow fast = w.newWindow("secrets-fast");
        WorkflowClient.start(
                fast::run,
                new FastDowntimeRequest(
                        "test", w.now().plus(Duration.ofHours(2)).toString(), List.of("2300-01-0")));
        fast.qaOk(new QaSignal("2300-01-0", "alice", null, null));
        assertEquals(
                org.fastdowntime.model.Outcome.COMPLETED,
                WorkflowStub.fromTyped(fast).getResult(FastDowntimeResult.class).outcome());
        assertTrue(smtp.getReceivedMessages().length > 0, "the mail channel was used, with its password");

        MonthlyDowntimeWorkflow monthly = w.client()
                .newWorkflowStub(
                        MonthlyDowntimeWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setTaskQueue(WindowFixture.QUEUE)
                                .setWorkflowId("secrets-monthly")
                                .build());
        WorkflowClient.start(
                monthly::run,
                new MonthlyDowntimeRequest(
                        "test",
                        w.now().plus(Duration.ofDays(10)).toString(),
                        w.now().plus(Duration.ofDays(12)).toString(),
                        null,
                        List.of(),
                        List.of()));
        assertThrows(
                WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(monthly).getResult(MonthlyDowntimeWorkflow.MonthlyResult.class));

        DowntimeCalendarWorkflow calendar = w.client()
                .newWorkflowStub(
                        DowntimeCalendarWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setTaskQueue(WindowFixture.QUEUE)
                                .setWorkflowId("secrets-calendar")
                                .build());
        WorkflowClient.start(calendar::run, new CalendarRequest("test", CalendarRules.launchpad(), null));
        w.env.sleep(Duration.ofDays(2));
        String calendarView = Json.write(w.client()
                .newWorkflowStub(DowntimeCalendarWorkflow.class, "secrets-calendar")
                .upcoming(10));

        List<String> places = new ArrayList<>();
        for (String id : List.of("secrets-fast", "secrets-monthly", "secrets-calendar")) {
            places.add(w.client().fetchHistory(id).toJson(true)); // inputs, results, failures, search attributes
        }
        places.add(Json.write(w.existing("secrets-fast").status()));
        places.add(calendarView);
        StringBuilder logText = new StringBuilder();
        for (ILoggingEvent e : logs.list) {
            logText.append(e.getFormattedMessage()).append('\n');
            if (e.getThrowableProxy() != null) {
                logText.append(ThrowableProxyUtil.asString(e.getThrowableProxy()))
                        .append('\n');
            }
        }
        places.add(logText.toString());
        assertTrue(
                logText.length() > 1000 && places.get(0).contains("ANNOUNCEMENT_FAILED"),
                "the places searched hold the failing channel's errors");
        for (String secret : List.of(DB_PASSWORD, SMTP_PASSWORD, HOOK_TOKEN)) {
            for (int i = 0; i < places.size(); i++) {
                assertFalse(places.get(i).contains(secret), secret + " leaked into place #" + i);
            }
        }
    }
}
