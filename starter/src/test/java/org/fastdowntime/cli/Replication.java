package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.fastdowntime.sandbox.ThrowawayCluster;

/** What the standby tests ask of a primary and its streaming standbys. */
final class Replication {
    private Replication() {}

    /** Waits (30 s at most) until {@code n} standbys stream from {@code primary}. */
    static void awaitStreaming(ThrowawayCluster primary, int n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (count(primary.url("postgres"), "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")
                != n) {
            assertTrue(System.nanoTime() < deadline, "never " + n + " standby(s) streaming");
            Thread.sleep(100);
        }
    }

    /** The number {@code sql} gives on the database at {@code url}. */
    static long count(String url, String sql) throws Exception {
        return Long.parseLong(text(url, sql));
    }

    /** The one value {@code sql} gives on the database at {@code url}. */
    static String text(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
