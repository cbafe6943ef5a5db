package org.fastdowntime.announce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.internet.MimeMessage;
import java.io.StringReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.fastdowntime.activity.Json;
import org.fastdowntime.model.Announcement;
import org.fastdowntime.testing.RecordingHttpServer;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every channel against a real server: a local HTTP server, an SMTP server (GreenMail), the feed's
 * database.
 */
class AnnouncerTest {
    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP)
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("fdt", "s3cret-smtp"));

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path folder;

    RecordingHttpServer http;
    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    @BeforeEach
    void server() throws Exception {
        http = new RecordingHttpServer();
    }

    @AfterEach
    void stop() {
        http.close();
    }

    private static Announcement done(String key) {
        return new Announcement(
                "prod",
                "fast-downtime-prod-1",
                "done",
                "Fast downtime of prod done: Applied 2300-01-0.",
                key,
                Map.of("outageMillis", "420", "applied", "2300-01-0"));
    }

    private AnnounceSettings.Email email() {
        return new AnnounceSettings.Email(
                "127.0.0.1",
                smtp.getSmtp().getPort(),
                "none",
                "fdt",
                "s3cret-smtp",
                "fastdowntime@example.org",
                List.of("ops@example.org", "dba@example.org"),
                Duration.ofSeconds(5));
    }

    @Test
    void everyChannelGetsTheAnnouncementOnceWithItsFields() throws Exception {
        Announcer a = new Announcer(
                Map.of(
                        "prod",
                        List.of(
                                new WebhookChannel(
                                        new AnnounceSettings.Webhook(http.url("/hook"), Duration.ofSeconds(5))),
                                new EmailChannel(email()),
                                FeedStore.channel(db.environment("prod", folder, List.of())))),
                metrics,
                Duration.ofSeconds(5));
        a.announce(done("fdt-1/done"));
        a.announce(done("fdt-1/done")); // a retried activity: nothing is sent twice

        List<RecordingHttpServer.Received> posts = http.received("/hook");
        assertEquals(1, posts.size());
        JsonNode body = Json.mapper().readTree(posts.get(0).body());
        assertEquals(
                "[prod] Fast downtime of prod done: Applied 2300-01-0.",
                body.get("text").asText(),
                "Slack's field");
        assertEquals("done", body.get("event").asText());
        assertEquals("420", body.get("fields").get("outageMillis").asText());
        assertEquals("fdt-1/done", posts.get(0).header("Idempotency-Key"));

        MimeMessage[] mails = smtp.getReceivedMessages();
        assertEquals(2, mails.length, "one message, two recipients");
        assertEquals("[fastdowntime] prod: done", mails[0].getSubject());
        assertTrue(((String) mails[0].getContent()).contains("outageMillis: 420"));
        assertEquals(mails[0].getMessageID(), mails[1].getMessageID());
        assertTrue(mails[0].getMessageID().endsWith("@fastdowntime>"));

        try (Connection c = db.connect()) {
            List<FeedStore.Entry> entries = FeedStore.recent(c, 10);
            assertEquals(1, entries.size());
            SyndFeed feed = new SyndFeedInput()
                    .build(new StringReader(FeedStore.atom("prod", "http://x/feed/prod.atom", entries)));
            assertEquals("atom_1.0", feed.getFeedType());
            assertEquals(
                    "prod: done (fast-downtime-prod-1)",
                    feed.getEntries().get(0).getTitle());
            assertTrue(feed.getEntries().get(0).getDescription().getValue().contains("Applied 2300-01-0"));
        }
        assertEquals(
                3.0,
                metrics.find("fastdowntime_announcements").tag("outcome", "delivered").counters().stream()
                        .mapToDouble(c -> c.count())
                        .sum(),
                1e-9,
                "three channels, each delivered once");
    }

    @Test
    void aFailingChannelIsNamedAndRetriedAloneWhileTheOthersAreNotRepeated() throws Exception {
        http.answer("/broken", 500);
        Announcer a = new Announcer(
                Map.of(
                        "prod",
                        List.of(
                                new WebhookChannel(
                                        new AnnounceSettings.Webhook(http.url("/hook"), Duration.ofSeconds(5))),
                                new WebhookChannel(
                                        new AnnounceSettings.Webhook(http.url("/broken"), Duration.ofSeconds(5))))),
                metrics,
                Duration.ofSeconds(5));
        Announcer.NotDelivered e = assertThrows(Announcer.NotDelivered.class, () -> a.announce(done("k/1")));
        assertTrue(e.getMessage().contains("webhook " + http.url("") + "/…: IOException: HTTP 500"), e.getMessage());
        http.answer("/broken", 200);
        a.announce(done("k/1")); // the activity's retry
        assertEquals(1, http.received("/hook").size(), "the channel that worked is not posted again");
        assertEquals(2, http.received("/broken").size(), "the failing one is tried again, and gets it");
    }

    @Test
    void aRetryWhileTheFirstPostIsStillUnderWayJoinsItInsteadOfPostingTwice() throws Exception {
        http.delay("/slow", Duration.ofMillis(1500));
        Announcer a = new Announcer(
                Map.of(
                        "prod",
                        List.of(new WebhookChannel(
                                new AnnounceSettings.Webhook(http.url("/slow"), Duration.ofSeconds(10))))),
                metrics,
                Duration.ofMillis(300));
        Announcer.NotDelivered e = assertThrows(Announcer.NotDelivered.class, () -> a.announce(done("k/slow")));
        assertTrue(e.getMessage().contains("still trying"), e.getMessage());
        Thread.sleep(1600);
        a.announce(done("k/slow")); // joins the finished delivery
        assertEquals(1, http.received("/slow").size());
    }

    @Test
    void anUnreachableSmtpServerIsReported() {
        AnnounceSettings.Email e = email();
        AnnounceSettings.Email nowhere = new AnnounceSettings.Email(
                "127.0.0.1", 1, "starttls", null, null, e.from(), e.to(), Duration.ofSeconds(2));
        Announcer a = new Announcer(Map.of("prod", List.of(new EmailChannel(nowhere))), metrics, Duration.ofSeconds(5));
        Announcer.NotDelivered x = assertThrows(Announcer.NotDelivered.class, () -> a.announce(done("k/mail")));
        assertTrue(x.getMessage().contains("email ops@example.org,dba@example.org"), x.getMessage());
        assertTrue(e.toString().contains("(hidden)") && !e.toString().contains("s3cret"), "no password in toString");
    }
}
