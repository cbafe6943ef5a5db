package org.fastdowntime.patch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.fastdowntime.model.ProblemType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployers' lock: one PostgreSQL advisory lock that every fastdowntime deployer of a database takes before
 * it applies anything (transaction-scoped for cold applies, session-scoped for live ones and the outage), so two
 * never apply at once; a deployer that cannot get it within lock_timeout is refused, naming the holder.
 */
final class DeployLock {
    /** Advisory lock key of all fastdowntime deployers: "fdt" + "lock" in ASCII. */
    static final long KEY = 0x6664746c6f636bL;

    private static final Logger log = LoggerFactory.getLogger(DeployLock.class);

    private final EngineSettings settings;

    DeployLock(EngineSettings settings) {
        this.settings = settings;
    }

    /**
     * Takes the deployers' advisory lock (transaction-scoped for cold applies, session-scoped for
     * live ones), waiting at most lock_timeout, then failing with the holder's pid and application
     * name.
     */
    void take(Connection c, boolean transactionScoped) throws SQLException, PatchEngineException {
        String fn = transactionScoped ? "pg_try_advisory_xact_lock" : "pg_try_advisory_lock";
        long deadline = System.nanoTime() + Math.max(1, settings.lockTimeout().toNanos());
        while (true) {
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT " + fn + "(" + KEY + ")")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new PatchEngineException(
                        ProblemType.DEPLOY_LOCK_BUSY,
                        "another deployer holds the deployment lock ("
                                + holder(c)
                                + "); waited "
                                + settings.lockTimeout().toMillis()
                                + " ms");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PatchEngineException(
                        ProblemType.DEPLOY_LOCK_BUSY, "interrupted waiting for the deployment lock");
            }
        }
    }

    private static String holder(Connection c) {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT a.pid, a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid ="
                        + " l.pid WHERE l.locktype = 'advisory' AND l.granted AND l.objid = (? &"
                        + " 4294967295)::oid AND l.database = (SELECT oid FROM pg_database WHERE datname ="
                        + " current_database()) LIMIT 1")) {
            ps.setLong(1, KEY);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? "pid " + rs.getInt(1) + ", application '" + rs.getString(2) + "'" : "holder unknown";
            }
        } catch (SQLException e) {
            return "holder unknown";
        }
    }

    /** Gives a session-scoped lock back (it would go with the session anyway). */
    static void release(Connection c) {
        try (Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            st.execute("SELECT pg_advisory_unlock(" + KEY + ")");
        } catch (SQLException e) {
            log.warn("could not release the deployment lock (it goes with the session): {}", e.getMessage());
        }
    }
}
