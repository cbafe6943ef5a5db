package org.fastdowntime.patch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fastdowntime.model.Deployment;
import org.fastdowntime.model.PatchId;

/**
 * Records what was applied, in the target database itself: the Launchpad-compatible revision table
 * (one row per patch, what Launchpad's own tools read) and fastdowntime's history table (checksum,
 * who, which deployment, LIVE or COLD, how long), so drift can be detected and reports outlive any
 * workflow history.
 */
public final class RevisionStore {
    public static final String HISTORY_TABLE = "fastdowntime.patch_history";
    public static final String SCRIPT_HISTORY_TABLE = "fastdowntime.script_history";

    private final String revisionTable;

    public RevisionStore(String revisionTable) {
        this.revisionTable = revisionTable;
    }

    public String revisionTable() {
        return revisionTable;
    }

    public boolean revisionTableExists(Connection c) throws SQLException {
        return exists(c, revisionTable);
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Creates the revision and history tables when absent; run inside the applying transaction. */
    public void ensureTables(Connection c) throws SQLException {
        // One round trip: inside an outage every one counts.
        try (Statement st = c.createStatement()) {
            st.execute(ensureTablesSql());
        }
    }

    /** The statements of {@link #ensureTables}, for a caller that sends them with others. */
    String ensureTablesSql() {
        return "CREATE TABLE IF NOT EXISTS "
                + revisionTable
                + " ( major integer NOT NULL, minor integer NOT NULL, patch integer NOT NULL,"
                + " start_time timestamp without time zone DEFAULT (transaction_timestamp() AT TIME"
                + " ZONE 'UTC'), end_time timestamp without time zone DEFAULT (statement_timestamp()"
                + " AT TIME ZONE 'UTC'), branch_nick text, revno integer, revid text, PRIMARY KEY"
                + " (major, minor, patch));"
                + " CREATE SCHEMA IF NOT EXISTS fastdowntime;"
                + " CREATE TABLE IF NOT EXISTS "
                + HISTORY_TABLE
                + " ("
                + " id bigserial PRIMARY KEY,"
                + " major integer NOT NULL,"
                + " minor integer NOT NULL,"
                + " patch integer NOT NULL,"
                + " file_name text NOT NULL,"
                + " sha256 text NOT NULL,"
                + " kind text NOT NULL CHECK (kind IN ('LIVE', 'COLD')),"
                + " deployment_id text NOT NULL,"
                + " applied_by text NOT NULL,"
                + " started_at timestamptz NOT NULL,"
                + " seconds numeric(12, 3) NOT NULL,"
                + " recorded_at timestamptz NOT NULL DEFAULT clock_timestamp());"
                + " CREATE TABLE IF NOT EXISTS "
                + SCRIPT_HISTORY_TABLE
                + " ("
                + " id bigserial PRIMARY KEY,"
                + " file_name text NOT NULL,"
                + " sha256 text NOT NULL,"
                + " deployment_id text NOT NULL,"
                + " applied_by text NOT NULL,"
                + " started_at timestamptz NOT NULL,"
                + " seconds numeric(12, 3) NOT NULL,"
                + " recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()); "
                + ApplyMarks.ensureSql();
    }

    /** Each repeatable script's SHA-256 when it was last applied; empty before any was. */
    public Map<String, String> lastScriptChecksums(Connection c) throws SQLException {
        Map<String, String> out = new java.util.HashMap<>();
        if (!exists(c, SCRIPT_HISTORY_TABLE)) {
            return out;
        }
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT DISTINCT ON (file_name) file_name, sha256 FROM "
                        + SCRIPT_HISTORY_TABLE + " ORDER BY file_name, id DESC")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    public void recordScript(Connection c, RepeatableScript script, Deployment who, Instant started, double seconds)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + SCRIPT_HISTORY_TABLE
                + " (file_name, sha256, deployment_id, applied_by, started_at, seconds) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, script.fileName());
            ps.setString(2, script.sha256());
            ps.setString(3, who.deploymentId());
            ps.setString(4, who.appliedBy());
            ps.setTimestamp(5, Timestamp.from(started));
            ps.setBigDecimal(6, seconds(seconds));
            ps.executeUpdate();
        }
    }

    /** Revisions recorded in the database, in order; empty when the table does not exist yet. */
    public Set<PatchId> appliedIds(Connection c) throws SQLException {
        return revisionTableExists(c) ? recordedIds(c) : new LinkedHashSet<>();
    }

    /** Revisions recorded in a revision table known to exist (after {@link #ensureTables}), in order. */
    public Set<PatchId> recordedIds(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(recordedIdsSql())) {
            return ids(rs);
        }
    }

    /**
     * The revision table's name qualified by its schema, as the session's search_path finds it now (one row,
     * or none when it does not exist): the bookkeeping addresses it by that name, whatever a patch sets.
     */
    String qualifiedNameSql() {
        return "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_catalog.pg_class c JOIN"
                + " pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = pg_catalog.to_regclass('"
                + revisionTable.replace("'", "''") + "')";
    }

    /** The query of {@link #recordedIds}, for a caller that sends it with others. */
    String recordedIdsSql() {
        return "SELECT major, minor, patch FROM " + revisionTable + " ORDER BY major, minor, patch";
    }

    /** The revisions a {@link #recordedIdsSql()} result lists. */
    static Set<PatchId> ids(ResultSet rs) throws SQLException {
        Set<PatchId> ids = new LinkedHashSet<>();
        while (rs.next()) {
            ids.add(new PatchId(rs.getInt(1), rs.getInt(2), rs.getInt(3)));
        }
        return ids;
    }

    /**
     * The checksum each patch had when fastdowntime last applied it (none for patches applied by
     * other tools).
     */
    public Map<PatchId, String> recordedChecksums(Connection c) throws SQLException {
        Map<PatchId, String> sums = new HashMap<>();
        if (!exists(c, HISTORY_TABLE)) {
            return sums;
        }
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT DISTINCT ON (major, minor, patch) major, minor, patch, sha256 FROM "
                                + HISTORY_TABLE
                                + " ORDER BY major, minor, patch, id DESC")) {
            while (rs.next()) {
                sums.put(new PatchId(rs.getInt(1), rs.getInt(2), rs.getInt(3)), rs.getString(4));
            }
        }
        return sums;
    }

    /**
     * The patches a deployment recorded in the history, in order; empty when it recorded none (or
     * none ever ran).
     */
    public List<PatchId> appliedBy(Connection c, String deploymentId) throws SQLException {
        List<PatchId> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT major, minor, patch FROM "
                + HISTORY_TABLE
                + " WHERE deployment_id = ? ORDER BY major, minor, patch")) {
            ps.setString(1, deploymentId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new PatchId(rs.getInt(1), rs.getInt(2), rs.getInt(3)));
                }
            }
        } catch (SQLException e) {
            if (!SqlState.is(e, SqlState.UNDEFINED_TABLE)) { // undefined_table: no window ever committed here
                throw e;
            }
        }
        return out;
    }

    public boolean isRecorded(Connection c, PatchId id) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT 1 FROM " + revisionTable + " WHERE major = ? AND minor = ? AND patch = ?")) {
            bind(ps, id, 1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public void insertRevision(Connection c, PatchId id) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO " + revisionTable + " (major, minor, patch) VALUES (?, ?, ?)")) {
            bind(ps, id, 1);
            ps.executeUpdate();
        }
    }

    /**
     * The statement that records the cold patches of one transaction, sent with them, just before COMMIT: each
     * one's revision row (inserted when the patch did not insert it itself) stamped with when it ran, between its
     * two {@link ApplyMarks marks} ({@code ran.get(i)} between mark i and mark i + 1), and by which deployment,
     * and, when {@code history}, its history row (a timing run keeps none: sequences are not transactional). The
     * INSERT of missing revision rows and the UPDATE of those the patches inserted themselves see the same
     * snapshot, so each row is written by exactly one of them. Values are written into the text: it goes in a
     * batch, which takes no parameters.
     */
    String recordColdSql(List<PatchFile> ran, Deployment who, boolean history) {
        if (ran.isEmpty()) {
            throw new IllegalArgumentException("no patch ran: nothing to record");
        }
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < ran.size(); i++) {
            PatchFile p = ran.get(i);
            rows.add("(" + (i + 1) + ", " + p.id().major() + ", " + p.id().minor() + ", " + p.id().patch() + ", "
                    + SqlText.literal(p.fileName()) + ", " + SqlText.literal(p.sha256()) + ", "
                    + SqlText.literal(p.kind().name()) + ")");
        }
        String nick = SqlText.literalOrNull(who.branchNick());
        String revid = SqlText.literalOrNull(who.revid());
        return "WITH ran AS (SELECT r.major, r.minor, r.patch, r.file_name, r.sha256, r.kind, b.at AS started_at,"
                + " e.at AS ended_at, round(extract(epoch FROM e.at - b.at)::numeric, 3) AS seconds FROM (VALUES "
                + String.join(", ", rows)
                + ") AS r (i, major, minor, patch, file_name, sha256, kind) JOIN " + ApplyMarks.TABLE
                + " b ON b.n = r.i - 1 JOIN " + ApplyMarks.TABLE + " e ON e.n = r.i),"
                + " inserted AS (INSERT INTO " + revisionTable
                + " (major, minor, patch, start_time, end_time, branch_nick,"
                + " revid) SELECT major, minor, patch, started_at AT TIME ZONE 'UTC', ended_at AT TIME ZONE 'UTC', "
                + nick + ", " + revid + " FROM ran WHERE NOT EXISTS (SELECT 1 FROM " + revisionTable
                + " x WHERE (x.major, x.minor, x.patch) = (ran.major, ran.minor, ran.patch)) RETURNING 1),"
                + " stamped AS (UPDATE " + revisionTable + " x SET start_time = ran.started_at AT TIME ZONE 'UTC',"
                + " end_time = ran.ended_at AT TIME ZONE 'UTC', branch_nick = " + nick + ", revid = " + revid
                + " FROM ran WHERE (x.major, x.minor, x.patch) = (ran.major, ran.minor, ran.patch) RETURNING 1)"
                + " INSERT INTO " + HISTORY_TABLE + " (major, minor, patch, file_name, sha256, kind, deployment_id,"
                + " applied_by, started_at, seconds) SELECT major, minor, patch, file_name, sha256, kind, "
                + SqlText.literal(who.deploymentId()) + ", " + SqlText.literal(who.appliedBy())
                + ", started_at, seconds FROM ran WHERE " + history;
    }

    /** A history row, bound by {@link #bindHistory}. */
    private static final String HISTORY_INSERT = "INSERT INTO " + HISTORY_TABLE
            + " (major, minor, patch, file_name, sha256, kind, deployment_id, applied_by, started_at, seconds)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static void bindHistory(
            PreparedStatement ps, PatchFile patch, Deployment who, Instant started, double seconds)
            throws SQLException {
        bind(ps, patch.id(), 1);
        ps.setString(4, patch.fileName());
        ps.setString(5, patch.sha256());
        ps.setString(6, patch.kind().name());
        ps.setString(7, who.deploymentId());
        ps.setString(8, who.appliedBy());
        ps.setTimestamp(9, Timestamp.from(started));
        ps.setBigDecimal(10, seconds(seconds));
    }

    /** Seconds as the history tables keep them: numeric(12, 3). */
    private static java.math.BigDecimal seconds(double seconds) {
        return java.math.BigDecimal.valueOf(seconds).setScale(3, java.math.RoundingMode.HALF_UP);
    }

    /** Stamps a revision row with when and by which deployment (parameters 1-6, see {@link #bindStamp}). */
    private static final String STAMP = "UPDATE %s SET start_time = (? AT TIME ZONE 'UTC'),"
            + " end_time = (clock_timestamp() AT TIME ZONE 'UTC'), branch_nick = ?, revid = ?"
            + " WHERE major = ? AND minor = ? AND patch = ?";

    private static void bindStamp(PreparedStatement ps, PatchId id, Instant started, Deployment who)
            throws SQLException {
        ps.setTimestamp(1, Timestamp.from(started));
        ps.setString(2, who.branchNick());
        ps.setString(3, who.revid());
        bind(ps, id, 4);
    }

    public void stampRevision(Connection c, PatchId id, Instant started, Deployment who) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(STAMP.formatted(revisionTable))) {
            bindStamp(ps, id, started, who);
            ps.executeUpdate();
        }
    }

    public void recordHistory(Connection c, PatchFile patch, Deployment who, Instant started, double seconds)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(HISTORY_INSERT)) {
            bindHistory(ps, patch, who, started, seconds);
            ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, PatchId id, int from) throws SQLException {
        ps.setInt(from, id.major());
        ps.setInt(from + 1, id.minor());
        ps.setInt(from + 2, id.patch());
    }
}
