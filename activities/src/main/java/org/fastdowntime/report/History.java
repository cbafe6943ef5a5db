package org.fastdowntime.report;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fastdowntime.model.OutageReport;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.patch.SqlState;

/**
 * What the cycle-time report reads, kept in the target database itself (schema {@code
 * fastdowntime}) so it survives Temporal's history retention and every worker sees the same: one
 * row per outage ({@code window_history}, written by the outage right after the gate reopens) and
 * one per patch's landing ({@code patch_landing}: when the patch landed in git, when a repository
 * is configured, and when it was first seen pending). Together with {@code patch_history} (when
 * each patch was applied) they give every lead time.
 */
public final class History {
    public static final String WINDOWS = "fastdowntime.window_history";
    public static final String LANDINGS = "fastdowntime.patch_landing";

    private History() {}

    /**
     * Runs {@code CREATE … IF NOT EXISTS} statements; two sessions doing it at once may collide in
     * the catalog (unique violation on pg_type or pg_namespace), which means the object now exists.
     */
    public static void createIfAbsent(Connection c, String... ddl) throws SQLException {
        for (String sql : ddl) {
            try (Statement st = c.createStatement()) {
                st.execute(sql);
            } catch (SQLException e) {
                if (!SqlState.isAnyOf(
                        e.getSQLState(),
                        SqlState.UNIQUE_VIOLATION,
                        SqlState.DUPLICATE_TABLE,
                        SqlState.DUPLICATE_SCHEMA)) {
                    throw e;
                }
                if (!c.getAutoCommit()) {
                    throw e; // inside a transaction the error aborted it: let the caller retry
                }
            }
        }
    }

    public static void ensureTables(Connection c) throws SQLException {
        createIfAbsent(
                c,
                "CREATE SCHEMA IF NOT EXISTS fastdowntime",
                "CREATE TABLE IF NOT EXISTS "
                        + WINDOWS
                        + " ("
                        + " deployment_id text PRIMARY KEY,"
                        + " window_start timestamptz NOT NULL,"
                        + " gate text NOT NULL,"
                        + " gate_closed_at timestamptz NOT NULL,"
                        + " gate_opened_at timestamptz NOT NULL,"
                        + " outage_ms bigint NOT NULL,"
                        + " patch_seconds numeric(12, 3) NOT NULL,"
                        + " sessions_kicked integer NOT NULL,"
                        + " applied text[] NOT NULL,"
                        + " outcome text NOT NULL,"
                        + " note text)",
                "CREATE TABLE IF NOT EXISTS "
                        + LANDINGS
                        + " ("
                        + " major integer NOT NULL,"
                        + " minor integer NOT NULL,"
                        + " patch integer NOT NULL,"
                        + " first_seen timestamptz NOT NULL DEFAULT clock_timestamp(),"
                        + " landed_at timestamptz,"
                        + " PRIMARY KEY (major, minor, patch))");
    }

    /** Records an outage; a second record of the same deployment changes nothing. */
    public static void recordWindow(
            Connection c, String deploymentId, Instant windowStart, OutageReport r, String outcome, String note)
            throws SQLException {
        ensureTables(c);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO "
                + WINDOWS
                + " (deployment_id, window_start, gate, gate_closed_at, gate_opened_at, outage_ms,"
                + " patch_seconds, sessions_kicked, applied, outcome, note) VALUES (?, ?, ?, ?, ?,"
                + " ?, ?, ?, ?, ?, ?) ON CONFLICT (deployment_id) DO NOTHING")) {
            ps.setString(1, deploymentId);
            ps.setTimestamp(2, Timestamp.from(windowStart));
            ps.setString(3, r.gate());
            ps.setTimestamp(4, Timestamp.from(r.gateClosedAt()));
            ps.setTimestamp(5, Timestamp.from(r.gateOpenedAt()));
            ps.setLong(6, r.outageMillis());
            ps.setDouble(7, r.patchSeconds());
            ps.setInt(8, r.sessionsKicked());
            Array applied = c.createArrayOf(
                    "text", r.applied().stream().map(a -> a.id().toString()).toArray());
            ps.setArray(9, applied);
            ps.setString(10, outcome);
            ps.setString(11, note);
            ps.executeUpdate();
        }
    }

    /**
     * Notes pending patches the first time they are seen, with their git landing time when known, and
     * returns each one's landing time (git's, else first seen).
     */
    public static Map<PatchId, Instant> recordLandings(
            Connection c, List<PatchId> pending, Map<PatchId, Instant> fromGit) throws SQLException {
        ensureTables(c);
        Map<PatchId, Instant> out = new LinkedHashMap<>();
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO "
                + LANDINGS
                + " (major, minor, patch, landed_at)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (major, minor, patch) DO UPDATE"
                + " SET landed_at = coalesce("
                + LANDINGS
                + ".landed_at, EXCLUDED.landed_at)"
                + " RETURNING coalesce(landed_at, first_seen)")) {
            for (PatchId id : pending) {
                ins.setInt(1, id.major());
                ins.setInt(2, id.minor());
                ins.setInt(3, id.patch());
                Instant git = fromGit.get(id);
                ins.setTimestamp(4, git == null ? null : Timestamp.from(git));
                try (ResultSet rs = ins.executeQuery()) {
                    rs.next();
                    out.put(id, rs.getTimestamp(1).toInstant());
                }
            }
        }
        return out;
    }

    /** One outage as the report sees it. */
    public record WindowRow(
            String deploymentId,
            Instant windowStart,
            String gate,
            Instant closedAt,
            Instant openedAt,
            long outageMillis,
            double patchSeconds,
            int sessionsKicked,
            List<String> applied,
            String outcome) {}

    /** One applied patch with its lead time. */
    public record PatchRow(
            String id, String deploymentId, Instant landed, String landedFrom, Instant applied, double seconds) {
        public double leadHours() {
            return (applied.toEpochMilli() - landed.toEpochMilli()) / 3_600_000.0;
        }
    }

    public static List<WindowRow> windows(Connection c, Instant since) throws SQLException {
        ensureTables(c);
        List<WindowRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT deployment_id, window_start, gate, gate_closed_at, gate_opened_at, outage_ms,"
                        + " patch_seconds, sessions_kicked, applied, outcome FROM "
                        + WINDOWS
                        + " WHERE window_start >= ? ORDER BY window_start, deployment_id")) {
            ps.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new WindowRow(
                            rs.getString(1),
                            rs.getTimestamp(2).toInstant(),
                            rs.getString(3),
                            rs.getTimestamp(4).toInstant(),
                            rs.getTimestamp(5).toInstant(),
                            rs.getLong(6),
                            rs.getDouble(7),
                            rs.getInt(8),
                            List.of((String[]) rs.getArray(9).getArray()),
                            rs.getString(10)));
                }
            }
        }
        return out;
    }

    /**
     * Cold patches applied by a window since {@code since}, with their landing (git, else first seen
     * pending).
     */
    public static List<PatchRow> patches(Connection c, String historyTable, Instant since) throws SQLException {
        ensureTables(c);
        List<PatchRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT h.major, h.minor, h.patch, h.deployment_id, coalesce(l.landed_at, l.first_seen,"
                        + " h.started_at), CASE WHEN l.landed_at IS NOT NULL THEN 'git' WHEN l.first_seen"
                        + " IS NOT NULL THEN 'first seen' ELSE 'unknown' END, h.started_at, h.seconds FROM "
                        + historyTable
                        + " h LEFT JOIN "
                        + LANDINGS
                        + " l USING (major, minor, patch) WHERE h.kind = 'COLD' AND h.started_at >= ? ORDER"
                        + " BY h.started_at, h.major, h.minor, h.patch")) {
            ps.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new PatchRow(
                            new PatchId(rs.getInt(1), rs.getInt(2), rs.getInt(3)).toString(),
                            rs.getString(4),
                            rs.getTimestamp(5).toInstant(),
                            rs.getString(6),
                            rs.getTimestamp(7).toInstant(),
                            rs.getDouble(8)));
                }
            }
        } catch (SQLException e) {
            if (SqlState.is(e, SqlState.UNDEFINED_TABLE)) {
                return out; // nothing was ever applied here: no patch_history yet
            }
            throw e;
        }
        return out;
    }
}
