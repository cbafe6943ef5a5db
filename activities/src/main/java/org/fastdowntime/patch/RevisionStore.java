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
                + " recorded_at timestamptz NOT NULL DEFAULT clock_timestamp())";
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

    /** A cold patch the applying transaction ran: when it started and how long its statements took. */
    public record Ran(PatchFile patch, Instant started, double seconds) {}

    /**
     * The cold patches of one transaction recorded in one round trip, just before COMMIT: each one's
     * revision row (inserted when the patch did not insert it itself) stamped with when it ran and by
     * which deployment, and, when {@code history}, its history row (a timing run keeps none: sequences
     * are not transactional).
     */
    public void recordCold(Connection c, List<Ran> ran, Deployment who, boolean history) throws SQLException {
        if (ran.isEmpty()) {
            return;
        }
        int n = ran.size();
        Integer[] major = new Integer[n];
        Integer[] minor = new Integer[n];
        Integer[] patch = new Integer[n];
        String[] file = new String[n];
        String[] sha = new String[n];
        String[] kind = new String[n];
        // Instants and seconds go as text (ISO 8601 with Z, decimal): no time zone of this JVM in between.
        String[] started = new String[n];
        String[] ended = new String[n];
        String[] seconds = new String[n];
        for (int i = 0; i < n; i++) {
            Ran r = ran.get(i);
            major[i] = r.patch().id().major();
            minor[i] = r.patch().id().minor();
            patch[i] = r.patch().id().patch();
            file[i] = r.patch().fileName();
            sha[i] = r.patch().sha256();
            kind[i] = r.patch().kind().name();
            started[i] = r.started().toString();
            ended[i] = r.started().plusNanos((long) (r.seconds() * 1e9)).toString();
            seconds[i] = seconds(r.seconds()).toPlainString();
        }
        try (PreparedStatement ps = c.prepareStatement(recordColdSql())) {
            ps.setArray(1, c.createArrayOf("integer", major));
            ps.setArray(2, c.createArrayOf("integer", minor));
            ps.setArray(3, c.createArrayOf("integer", patch));
            ps.setArray(4, c.createArrayOf("text", file));
            ps.setArray(5, c.createArrayOf("text", sha));
            ps.setArray(6, c.createArrayOf("text", kind));
            ps.setArray(7, c.createArrayOf("text", started));
            ps.setArray(8, c.createArrayOf("text", ended));
            ps.setArray(9, c.createArrayOf("text", seconds));
            ps.setString(10, who.branchNick());
            ps.setString(11, who.revid());
            ps.setString(12, who.branchNick());
            ps.setString(13, who.revid());
            ps.setString(14, who.deploymentId());
            ps.setString(15, who.appliedBy());
            ps.setBoolean(16, history);
            ps.executeUpdate();
        }
    }

    /**
     * {@link #recordCold}'s one statement: the INSERT of missing rows and the UPDATE of the rows the patches
     * inserted themselves see the same snapshot, so each row is written by exactly one of them.
     */
    private String recordColdSql() {
        return "WITH ran AS (SELECT * FROM unnest(?::integer[], ?::integer[],"
                + " ?::integer[], ?::text[], ?::text[], ?::text[], ?::text[]::timestamptz[], ?::text[]::timestamptz[], ?::text[]::numeric[])"
                + " AS r (major, minor, patch, file_name, sha256, kind, started_at, ended_at, seconds)),"
                + " inserted AS (INSERT INTO " + revisionTable
                + " (major, minor, patch, start_time, end_time, branch_nick,"
                + " revid) SELECT major, minor, patch, started_at AT TIME ZONE 'UTC', ended_at AT TIME ZONE 'UTC',"
                + " ?, ? FROM ran WHERE NOT EXISTS (SELECT 1 FROM " + revisionTable
                + " x WHERE (x.major, x.minor, x.patch) ="
                + " (ran.major, ran.minor, ran.patch)) RETURNING 1),"
                + " stamped AS (UPDATE " + revisionTable + " x SET start_time = ran.started_at AT TIME ZONE 'UTC',"
                + " end_time = ran.ended_at AT TIME ZONE 'UTC', branch_nick = ?, revid = ? FROM ran"
                + " WHERE (x.major, x.minor, x.patch) = (ran.major, ran.minor, ran.patch) RETURNING 1)"
                + " INSERT INTO " + HISTORY_TABLE + " (major, minor, patch, file_name, sha256, kind, deployment_id,"
                + " applied_by, started_at, seconds) SELECT major, minor, patch, file_name, sha256, kind, ?, ?,"
                + " started_at, seconds FROM ran WHERE ?";
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
