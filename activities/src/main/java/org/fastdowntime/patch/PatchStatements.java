package org.fastdowntime.patch;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
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
     * A patch's statements in one round trip: a JDBC batch of {@link #wrapped} statements. When it fails, {@link
     * #afterFailure} says where.
     */
    void inOneRoundTrip(Connection c, String file, List<SqlStatement> statements)
            throws PatchEngineException, SQLException {
        try (Statement st = c.createStatement()) {
            st.setEscapeProcessing(false);
            for (String sql : wrapped(statements)) {
                st.addBatch(sql);
            }
            st.executeBatch();
        } catch (java.sql.BatchUpdateException e) {
            SQLException cause = cause(e);
            if (!rollBackToSavepoint(c)) {
                throw new PatchEngineException(
                        ProblemType.PATCH_FAILED, file + ": " + cause.getMessage(), cause.getSQLState(), cause);
            }
            afterFailure(c, file, statements, cause);
        }
    }

    /**
     * A patch as it is sent: its statements between a savepoint and its release, followed by the session's reset
     * ({@link WindowSession}), so whatever the patch set for itself (search_path, a role, client_min_messages…)
     * ends with it and the next patch and the bookkeeping run as the first did.
     */
    List<String> wrapped(List<SqlStatement> statements) {
        List<String> out = new ArrayList<>();
        out.add("SAVEPOINT " + PATCH_SAVEPOINT);
        statements.forEach(s -> out.add(s.sql()));
        out.add("RELEASE SAVEPOINT " + PATCH_SAVEPOINT);
        out.addAll(session.reset(true));
        return out;
    }

    /** What a failed batch failed with: the server's error (the driver's wrapper only says which entry). */
    static SQLException cause(java.sql.BatchUpdateException e) throws SQLException {
        SQLException cause = e.getNextException() != null ? e.getNextException() : e;
        if (Databases.isConnectionLoss(e) || Databases.isConnectionLoss(cause)) {
            throw cause;
        }
        return cause;
    }

    /**
     * Goes back to the savepoint of the patch a batch was running when it failed; false when there is none (the
     * failure came before the first patch or after the last one's release).
     */
    static boolean rollBackToSavepoint(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("ROLLBACK TO SAVEPOINT " + PATCH_SAVEPOINT);
            return true;
        } catch (SQLException e) {
            if (Databases.isConnectionLoss(e)) {
                throw e;
            }
            return false;
        }
    }

    /**
     * A patch failed with {@code cause} and the transaction is back at its savepoint: a timeout or a cancellation
     * fails naming the file (run again, it would wait again); anything else runs the patch again one statement at
     * a time, so the error names the file and line. A patch that goes through when run again is kept (its
     * savepoint released, the session reset) and the caller goes on.
     */
    void afterFailure(Connection c, String file, List<SqlStatement> statements, SQLException cause)
            throws PatchEngineException, SQLException {
        String state = cause.getSQLState();
        if (SqlState.isInterrupted(state)) {
            throw new PatchEngineException(
                    ProblemType.PATCH_FAILED, file + ": " + cause.getMessage() + hint(state), state, cause);
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
