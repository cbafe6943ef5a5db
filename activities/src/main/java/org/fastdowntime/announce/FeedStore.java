package org.fastdowntime.announce;

import com.rometools.rome.feed.synd.SyndContent;
import com.rometools.rome.feed.synd.SyndContentImpl;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndEntryImpl;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.feed.synd.SyndFeedImpl;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.SyndFeedOutput;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.fastdowntime.activity.Json;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.env.Environments;
import org.fastdowntime.model.Announcement;

/**
 * The status feed's entries live in the environment's own database ({@code
 * fastdowntime.announcement}, keyed by the announcement's key), so every worker serves the same
 * feed, it survives restarts and Temporal's history retention, and a repeated delivery is a no-op.
 */
public final class FeedStore {
    static final String TABLE = "fastdowntime.announcement";

    private FeedStore() {}

    static void ensureTable(Connection c) throws SQLException {
        org.fastdowntime.report.History.createIfAbsent(
                c,
                "CREATE SCHEMA IF NOT EXISTS fastdowntime",
                "CREATE TABLE IF NOT EXISTS "
                        + TABLE
                        + " ("
                        + " key text PRIMARY KEY,"
                        + " workflow_id text NOT NULL,"
                        + " event text NOT NULL,"
                        + " text text NOT NULL,"
                        + " fields jsonb NOT NULL DEFAULT '{}',"
                        + " announced_at timestamptz NOT NULL DEFAULT clock_timestamp())");
    }

    /** The channel that writes to the feed. */
    public static Channel channel(EnvironmentSettings env) {
        return new Channel() {
            @Override
            public String name() {
                return "feed " + env.name();
            }

            @Override
            public void deliver(Announcement a) throws Exception {
                try (Connection c = Environments.connect(env, "fastdowntime-feed")) {
                    c.setAutoCommit(true);
                    ensureTable(c);
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO "
                            + TABLE
                            + " (key, workflow_id, event, text, fields) VALUES (?, ?, ?, ?, ?::jsonb) ON"
                            + " CONFLICT (key) DO NOTHING")) {
                        ps.setString(1, a.key());
                        ps.setString(2, a.workflowId());
                        ps.setString(3, a.event());
                        ps.setString(4, a.text());
                        ps.setString(5, Json.compact(a.fields()));
                        ps.executeUpdate();
                    }
                }
            }
        };
    }

    public record Entry(
            String key,
            String workflowId,
            String event,
            String text,
            Map<String, String> fields,
            java.time.Instant at) {}

    /** The most recent entries, newest first. */
    public static List<Entry> recent(Connection c, int limit) throws SQLException {
        ensureTable(c);
        List<Entry> out = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT key, workflow_id, event, text, fields::text, announced_at"
                        + " FROM "
                        + TABLE
                        + " ORDER BY announced_at DESC, key LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    @SuppressWarnings("unchecked")
                    Map<String, String> fields = Json.mapper().readValue(rs.getString(5), Map.class);
                    out.add(new Entry(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            fields,
                            rs.getTimestamp(6).toInstant()));
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new SQLException("bad fields in " + TABLE + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** An Atom document of the environment's recent announcements. */
    public static String atom(String environment, String selfUrl, List<Entry> entries) throws FeedException {
        SyndFeed feed = new SyndFeedImpl();
        feed.setFeedType("atom_1.0");
        feed.setTitle("fastdowntime: " + environment);
        feed.setDescription("Downtime windows of " + environment + ": announced, starting, done, aborted, incidents.");
        feed.setLink(selfUrl);
        feed.setUri("urn:fastdowntime:" + environment);
        feed.setPublishedDate(
                entries.isEmpty() ? new Date(0) : Date.from(entries.get(0).at()));
        List<SyndEntry> out = new ArrayList<>();
        for (Entry e : entries) {
            SyndEntry entry = new SyndEntryImpl();
            entry.setUri("urn:fastdowntime:" + environment + ":" + e.key());
            entry.setTitle(environment + ": " + e.event() + " (" + e.workflowId() + ")");
            entry.setLink(selfUrl + "#" + e.key());
            entry.setPublishedDate(Date.from(e.at()));
            entry.setUpdatedDate(Date.from(e.at()));
            SyndContent content = new SyndContentImpl();
            content.setType("text/plain");
            StringBuilder b = new StringBuilder(e.text());
            e.fields().forEach((k, v) -> b.append('\n').append(k).append(": ").append(v));
            content.setValue(b.toString());
            entry.setDescription(content);
            out.add(entry);
        }
        feed.setEntries(out);
        return new SyndFeedOutput().outputString(feed, true);
    }
}
