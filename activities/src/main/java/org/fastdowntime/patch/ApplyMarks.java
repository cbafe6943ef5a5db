package org.fastdowntime.patch;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's clock between the patches of a bundle sent in one round trip: mark 0 is written before the first
 * patch, mark i after the i-th (its statements, its savepoint's release and the session's reset), each by {@code
 * clock_timestamp()}. A patch's time is the gap between its two marks, on one clock, whatever the network; after
 * a failure, the marks left once the transaction went back to the failing patch's savepoint count the patches
 * that went through. The table is unlogged (marks are not replicated and need not survive a crash) and empty
 * between applies: each apply clears it first and takes its marks back before it ends.
 */
final class ApplyMarks {
    static final String TABLE = "fastdowntime.apply_marks";

    private ApplyMarks() {}

    /** Creates the table when absent (with the other bookkeeping tables, inside the applying transaction). */
    static String ensureSql() {
        return "CREATE UNLOGGED TABLE IF NOT EXISTS " + TABLE + " (n integer NOT NULL, at timestamptz NOT NULL)";
    }

    /** Empties the table (marks a lost session left) and writes mark 0. */
    static List<String> start() {
        return List.of("DELETE FROM " + TABLE, mark(0));
    }

    /** Writes mark {@code n}. */
    static String mark(int n) {
        return "INSERT INTO " + TABLE + " (n, at) VALUES (" + n + ", pg_catalog.clock_timestamp())";
    }

    /** How many patches went through (marks after mark 0), read once the transaction is usable again. */
    static int passed(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) - 1 FROM " + TABLE)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Takes the marks out of the table, in order: mark i at index i. */
    static List<Instant> takeBack(Connection c) throws SQLException {
        List<Instant> marks = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("WITH gone AS (DELETE FROM " + TABLE + " RETURNING n, at)"
                        + " SELECT at FROM gone ORDER BY n")) {
            while (rs.next()) {
                marks.add(rs.getObject(1, OffsetDateTime.class).toInstant());
            }
        }
        return marks;
    }
}
