package org.fastdowntime.patch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.ProblemType;

/** A fresh database built from the folder's newest baseline, recorded as that revision. */
final class Baselines {
    private Baselines() {}

    /** Builds a fresh database from the folder's newest baseline, in one transaction. */
    static void load(Connection c, PatchSet set, RevisionStore store) throws SQLException, PatchEngineException {
        Path baseline = set.latestBaseline()
                .orElseThrow(() -> new PatchEngineException(
                        ProblemType.BAD_ARGUMENTS, "no baseline file (<name>-MAJOR-00-0.sql) in " + set.folder()));
        String sql;
        try {
            sql = Files.readString(baseline);
        } catch (java.io.IOException e) {
            throw new PatchEngineException(ProblemType.UNREADABLE_FILE, baseline + ": " + e.getMessage());
        }
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute(sql);
            store.ensureTables(c);
            PatchId id = PatchFolder.baselineMajor(baseline);
            if (!store.isRecorded(c, id)) {
                store.insertRevision(c, id);
            }
            c.commit();
        } catch (SQLException e) {
            PatchEngine.rollbackQuietly(c);
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
}
