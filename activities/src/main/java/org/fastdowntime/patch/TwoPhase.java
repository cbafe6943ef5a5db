package org.fastdowntime.patch;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL's two-phase commit as a fleet uses it: a member's window transaction prepared under a name derived from
 * its deployment, found again by that name from any session of the same database, and committed or rolled back as
 * the fleet decided. Each prepared transaction keeps its locks (and survives a restart) until then.
 */
public final class TwoPhase {
    /** Every name this program prepares under starts so: how leftovers are told from other tools'. */
    public static final String PREFIX = "fastdowntime:";
    /** PostgreSQL's limit on a prepared transaction's name, in bytes. */
    private static final int MAX_GID_BYTES = 200;

    private TwoPhase() {}

    /** The prepared transaction's name for a deployment: {@code fastdowntime:ID}, hashed if too long. */
    public static String gid(String deploymentId) {
        String gid = PREFIX + deploymentId;
        return gid.getBytes(StandardCharsets.UTF_8).length <= MAX_GID_BYTES
                ? gid
                : PREFIX + PatchFolder.sha256(deploymentId.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Ends the connection's transaction with PREPARE TRANSACTION {@code gid}: it now belongs to no session. The
     * session's hold on the deployers' lock is given back first (PostgreSQL cannot prepare while a session holds the
     * same lock twice); the transaction's own hold goes with the prepared transaction, so no other deployer comes in
     * before the fleet's decision is carried out.
     */
    static void prepare(Connection c, String gid) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(
                    "SELECT pg_advisory_unlock(" + DeployLock.KEY + "); PREPARE TRANSACTION " + SqlText.literal(gid));
        }
    }

    /** Whether {@code gid} is prepared in the connection's database. */
    public static boolean isPrepared(Connection c, String gid) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT 1 FROM pg_prepared_xacts WHERE gid = ? AND database = current_database()")) {
            ps.setString(1, gid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** COMMIT PREPARED or ROLLBACK PREPARED {@code gid}; the connection must be in autocommit. */
    public static void finish(Connection c, String gid, boolean commit) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute((commit ? "COMMIT PREPARED " : "ROLLBACK PREPARED ") + SqlText.literal(gid));
        }
    }

    /** The server's {@code max_prepared_transactions}: 0 means PREPARE TRANSACTION is refused. */
    public static int maxPrepared(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW max_prepared_transactions")) {
            rs.next();
            return Integer.parseInt(rs.getString(1));
        }
    }

    /** The transactions this program prepared in the connection's database and nobody finished. */
    public static List<String> leftovers(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT gid FROM pg_prepared_xacts"
                + " WHERE database = current_database() AND starts_with(gid, ?) ORDER BY prepared")) {
            ps.setString(1, PREFIX);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
