package org.fastdowntime.patch;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.fastdowntime.model.ProblemType;

/**
 * Runs a patch's statements: in one round trip under a savepoint (cold), or one at a time (live, and a cold
 * patch run again to find its failing line); a failure names the file and line, and a lock timeout which timeout
 * gave up.
 */
final class PatchStatements {
    private final EngineSettings settings;
    private final WindowSession session;

    PatchStatements(EngineSettings settings, WindowSession session) {
        this.settings = settings;
        this.session = session;
    }

    /**
     * A patch's statements in one round trip: a JDBC batch between a savepoint and its release, followed by
     * the session's reset ({@link WindowSession}), so whatever the patch set for itself (search_path, a role,
     * client_min_messages…) ends with it and the next patch and the bookkeeping run as the first did. When it
     * fails, the patch goes back to the savepoint and runs again one statement at a time, so the error names
     * the file and line; a timeout or a cancellation is not run again (it would wait again) and names the file
     * only.
     */
    void inOneRoundTrip(Connection c, String file, List<SqlStatement> statements)
            throws PatchEngineException, SQLException {
        try (Statement st = c.createStatement()) {
            st.setEscapeProcessing(false);
            st.addBatch("SAVEPOINT " + PATCH_SAVEPOINT);
            for (SqlStatement s : statements) {
                st.addBatch(s.sql());
            }
            st.addBatch("RELEASE SAVEPOINT " + PATCH_SAVEPOINT);
            for (String reset : session.reset(true)) {
                st.addBatch(reset);
            }
            st.executeBatch();
            return;
        } catch (java.sql.BatchUpdateException e) {
            SQLException cause = e.getNextException() != null ? e.getNextException() : e;
            if (Databases.isConnectionLoss(e) || Databases.isConnectionLoss(cause)) {
                throw cause;
            }
            String state = cause.getSQLState();
            if (SqlState.isInterrupted(state)) {
                throw new PatchEngineException(
                        ProblemType.PATCH_FAILED, file + ": " + cause.getMessage() + hint(state), state, cause);
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("ROLLBACK TO SAVEPOINT " + PATCH_SAVEPOINT);
        }
        execute(c, file, statements);
        try (Statement st = c.createStatement()) {
            st.execute("RELEASE SAVEPOINT " + PATCH_SAVEPOINT);
        }
        session.reset(c, true);
    }

    /** The savepoint each patch of a cold transaction runs under; released when the patch is through. */
    private static final String PATCH_SAVEPOINT = "fastdowntime_patch";

    /** For a lock timeout (55P03), which timeout gave up. */
    private String hint(String sqlState) {
        return SqlState.LOCK_NOT_AVAILABLE.equals(sqlState) ? " (lock_timeout " + settings.lockTimeout() + ")" : "";
    }

    void execute(Connection c, String file, List<SqlStatement> statements) throws PatchEngineException, SQLException {
        try (Statement st = c.createStatement()) {
            st.setEscapeProcessing(false);
            for (SqlStatement s : statements) {
                try {
                    st.execute(s.sql());
                } catch (SQLException e) {
                    if (Databases.isConnectionLoss(e)) {
                        throw e;
                    }
                    throw new PatchEngineException(
                            ProblemType.PATCH_FAILED,
                            file + ":" + s.line() + ": " + e.getMessage() + hint(e.getSQLState()),
                            e.getSQLState(),
                            e);
                }
            }
        }
    }
}
