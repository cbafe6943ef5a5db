package org.fastdowntime.patch;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.fastdowntime.model.AppliedPatch;
import org.fastdowntime.model.ApplyReport;
import org.fastdowntime.model.Deployment;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LIVE patches, applied without an outage: one at a time under the deployers' session lock, each statement in
 * autocommit, each patch recorded (revision row and history, in a short transaction) only after all its
 * statements succeeded, and the session reset after each.
 */
final class LiveApply {
    private static final Logger log = LoggerFactory.getLogger(PatchEngine.class);

    private final RevisionStore store;
    private final WindowSession session;
    private final DeployLock deployLock;
    private final PatchStatements statements;

    LiveApply(RevisionStore store, WindowSession session, DeployLock deployLock, PatchStatements statements) {
        this.store = store;
        this.session = session;
        this.deployLock = deployLock;
        this.statements = statements;
    }

    /**
     * Applies the named LIVE patches ({@code only}; none named, nothing applied) one at a time outside any
     * transaction; each is recorded (revision row and history, in a short transaction) only after all its
     * statements succeeded.
     */
    ApplyReport apply(Connection c, PatchSet set, Collection<PatchId> only, Deployment who)
            throws SQLException, PatchEngineException {
        PatchEngine.requireValid(set);
        List<PatchFile> wanted = ColdBundle.select(set, only, PatchKind.LIVE);
        if (wanted.isEmpty()) {
            return new ApplyReport(List.of(), List.of(), 0);
        }
        c.setAutoCommit(true);
        deployLock.take(c, false);
        try {
            session.reset(c, false);
            c.setAutoCommit(false);
            store.ensureTables(c);
            c.commit();
            c.setAutoCommit(true);
            List<AppliedPatch> out = new ArrayList<>();
            List<PatchId> skipped = new ArrayList<>();
            double total = 0;
            for (PatchFile p : wanted) {
                if (store.isRecorded(c, p.id())) {
                    skipped.add(p.id());
                    continue;
                }
                Instant started = Instant.now();
                long t0 = System.nanoTime();
                statements.execute(c, p.fileName(), p.executable());
                double secs = (System.nanoTime() - t0) / 1e9;
                session.reset(c, false);
                c.setAutoCommit(false);
                try {
                    if (!store.isRecorded(c, p.id())) {
                        store.insertRevision(c, p.id());
                    }
                    store.stampRevision(c, p.id(), started, who);
                    store.recordHistory(c, p, who, started, secs);
                    c.commit();
                } finally {
                    PatchEngine.rollbackQuietly(c);
                    c.setAutoCommit(true);
                }
                total += secs;
                out.add(new AppliedPatch(p.id(), PatchKind.LIVE, p.sha256(), secs));
                log.info("{} applied live just now in {} seconds", p.id(), String.format(Locale.ROOT, "%.1f", secs));
            }
            return new ApplyReport(List.copyOf(out), List.copyOf(skipped), total);
        } finally {
            DeployLock.release(c);
        }
    }
}
