package org.fastdowntime.patch;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fastdowntime.model.Deployment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The repeatable scripts of a cold transaction, after its patches, each in one round trip and recorded. */
final class ScriptReapply {
    private static final Logger log = LoggerFactory.getLogger(PatchEngine.class);

    private final PatchStatements statements;
    private final RevisionStore store;

    ScriptReapply(PatchStatements statements, RevisionStore store) {
        this.statements = statements;
        this.store = store;
    }

    /**
     * The repeatable scripts, in the same transaction, after the patches: each one that changed since
     * it was last applied, or every one when a patch ran (Launchpad re-applied them after every
     * update). Returns what ran, for people.
     */
    List<String> run(Connection c, List<RepeatableScript> scripts, boolean patchRan, Deployment who, boolean commit)
            throws SQLException, PatchEngineException {
        List<String> said = new ArrayList<>();
        if (scripts.isEmpty() || !patchRan) {
            return said;
        }
        Map<String, String> last = store.lastScriptChecksums(c);
        for (RepeatableScript s : scripts) {
            boolean changed = !s.sha256().equals(last.get(s.fileName()));
            Instant started = Instant.now();
            long t0 = System.nanoTime();
            statements.inOneRoundTrip(c, s.fileName(), s.statements());
            double secs = (System.nanoTime() - t0) / 1e9;
            if (commit) {
                store.recordScript(c, s, who, started, secs);
            }
            said.add(String.format(
                    Locale.ROOT,
                    "%s re-applied in %.2f seconds (%s).",
                    s.fileName(),
                    secs,
                    changed ? "changed since it was last applied" : "after the patches"));
            log.info("{} re-applied in {} seconds", s.fileName(), String.format(Locale.ROOT, "%.2f", secs));
        }
        return said;
    }
}
