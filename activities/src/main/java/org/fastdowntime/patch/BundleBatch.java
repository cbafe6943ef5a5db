package org.fastdowntime.patch;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.patch.PatchEngine.BeforeCommit;

/**
 * A cold bundle in one round trip: what the caller sends before it (the outage's kick), {@link ApplyMarks mark} 0,
 * then each patch {@link PatchStatements#wrapped wrapped} and followed by its mark, the statement recording them
 * all, and what the caller sends after (the gate's opening). No statement waits for this process between two
 * others: the server goes from the kick to the first patch's first lock, and from one patch to the next, by
 * itself. (psql, or a patch per round trip, sends one and waits for its answer before the next; under the CPU
 * contention of the terminated backends' exits each answer waits to be scheduled twice.)
 *
 * <p>When a patch fails, the transaction goes back to its savepoint, the marks left say which patch it was, and
 * {@link PatchStatements#afterFailure} names the file and line; a patch that goes through when run again is kept
 * and the rest is sent in a new round trip. A failure outside every patch fails with the server's message.
 */
final class BundleBatch {
    private final PatchStatements statements;

    BundleBatch(PatchStatements statements) {
        this.statements = statements;
    }

    /**
     * Runs {@code todo} and {@code record} (null when {@code todo} is empty) with {@code alongside}'s statements around them, in one round trip,
     * ending with COMMIT when there is a {@code lastCheck}, made just before sending (the server skips the COMMIT
     * once a statement before it failed, and the transaction stays open for the failure to be found).
     */
    void run(Connection c, List<PatchFile> todo, String record, Alongside alongside, BeforeCommit lastCheck)
            throws SQLException, PatchEngineException {
        List<String> head = new ArrayList<>(alongside.before());
        if (!todo.isEmpty()) {
            head.addAll(ApplyMarks.start());
        }
        for (int from = 0; ; ) {
            List<String> batch = new ArrayList<>(head);
            for (int i = from; i < todo.size(); i++) {
                batch.addAll(statements.wrapped(todo.get(i).statements()));
                batch.add(ApplyMarks.mark(i + 1));
            }
            if (!todo.isEmpty()) {
                batch.add(record);
            }
            batch.addAll(alongside.after());
            if (lastCheck != null) {
                lastCheck.check();
                batch.add("COMMIT");
            }
            SQLException cause = send(c, batch, alongside, from == 0);
            if (cause == null) {
                return;
            }
            int failed = PatchStatements.rollBackToSavepoint(c) ? ApplyMarks.passed(c) : -1;
            if (failed < from || failed >= todo.size()) { // before the first patch, or after the last one's release
                throw new PatchEngineException(
                        ProblemType.PATCH_FAILED, cause.getMessage(), cause.getSQLState(), cause);
            }
            PatchFile p = todo.get(failed);
            statements.afterFailure(c, p.fileName(), p.statements(), cause);
            // It went through when run again: its mark, then the rest.
            try (Statement st = c.createStatement()) {
                st.execute(ApplyMarks.mark(failed + 1));
            }
            head = List.of();
            from = failed + 1;
        }
    }

    /** One round trip; the server's error when it failed, else null. */
    private static SQLException send(Connection c, List<String> batch, Alongside alongside, boolean first)
            throws SQLException {
        if (batch.isEmpty()) {
            return null;
        }
        try (Statement st = c.createStatement()) {
            st.setEscapeProcessing(false);
            for (String sql : batch) {
                st.addBatch(sql);
            }
            try {
                st.executeBatch();
                return null;
            } catch (BatchUpdateException e) {
                return PatchStatements.cause(e);
            } finally {
                if (first) {
                    alongside.heard(notices(st));
                }
            }
        }
    }

    private static List<String> notices(Statement st) throws SQLException {
        List<String> out = new ArrayList<>();
        for (SQLWarning w = st.getWarnings(); w != null; w = w.getNextWarning()) {
            out.add(w.getMessage());
        }
        return out;
    }
}
