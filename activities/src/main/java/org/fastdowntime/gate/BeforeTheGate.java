package org.fastdowntime.gate;

import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.OutageRequest;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.Problem;
import org.fastdowntime.patch.BundleSeal;
import org.fastdowntime.patch.ColdBundle;
import org.fastdowntime.patch.Databases;
import org.fastdowntime.patch.PatchEngine;
import org.fastdowntime.patch.PatchEngineException;
import org.fastdowntime.patch.PatchFile;
import org.fastdowntime.patch.PatchFolder;
import org.fastdowntime.patch.PatchSet;

/**
 * Everything an outage can check before its gate closes, on the patcher's connection: the whole folder is valid
 * (PLAN_INVALID), every file of the sealed bundle is byte for byte the sealed one and no script appeared
 * (PATCH_CHANGED), the session holds the deployers' lock (DEPLOY_LOCK_BUSY), and what of the bundle is still
 * pending. A failure here changes nothing: each says the gate was never closed.
 */
final class BeforeTheGate {
    private static final String NOTHING_CHANGED = "; the gate was never closed and nothing was changed";

    private BeforeTheGate() {}

    /**
     * The folder as it is now, exactly what of the bundle is left to apply, and what of it an earlier window
     * applied already.
     */
    record Approved(PatchSet set, ColdBundle bundle, List<PatchId> alreadyApplied) {}

    static Approved check(Connection c, EnvironmentSettings env, OutageRequest request, PatchEngine engine)
            throws SQLException, java.io.IOException {
        PatchSet set = PatchFolder.scan(env.patches(), env.engineSettings(), Databases.serverVersionNum(c) / 10000);
        if (!set.valid()) {
            throw ApplicationFailure.newNonRetryableFailure(
                    "the patch set of " + env.name() + " is not safe to apply: " + Problem.describeAll(set.problems())
                            + NOTHING_CHANGED,
                    FailureType.PLAN_INVALID.name());
        }
        ColdBundle bundle = bundle(set, env, request);
        if (!bundle.isEmpty()) {
            try {
                engine.lockDeployersForSession(c);
            } catch (PatchEngineException e) {
                throw ApplicationFailure.newNonRetryableFailure(
                        e.getMessage() + NOTHING_CHANGED, FailureType.DEPLOY_LOCK_BUSY.name());
            }
        }
        Set<PatchId> recorded = engine.store().appliedIds(c);
        List<PatchFile> pending = new ArrayList<>();
        List<PatchId> done = new ArrayList<>();
        for (PatchFile p : bundle.patches()) {
            if (recorded.contains(p.id())) {
                done.add(p.id());
            } else {
                pending.add(p);
            }
        }
        return new Approved(
                set, pending.isEmpty() ? ColdBundle.EMPTY : new ColdBundle(pending, bundle.scripts()), done);
    }

    /**
     * Exactly what the outage may run: the sealed bundle checked against the folder, or, for a request made
     * before bundles were sealed, its pinned patches and the folder's scripts; nothing named, nothing run.
     */
    private static ColdBundle bundle(PatchSet set, EnvironmentSettings env, OutageRequest request) {
        try {
            if (request.bundle() != null) {
                return BundleSeal.check(
                        set, request.bundle(), env.engineSettings().grants());
            }
            List<PatchFile> files = new ArrayList<>();
            for (PatchCandidate p : request.patches()) {
                files.add(BundleSeal.approvedFile(set, p));
            }
            return files.isEmpty() ? ColdBundle.EMPTY : new ColdBundle(files, set.scripts());
        } catch (BundleSeal.Broken e) {
            throw ApplicationFailure.newNonRetryableFailure(
                    e.getMessage() + ". The gate was never closed and nothing was changed.",
                    FailureType.PATCH_CHANGED.name());
        }
    }
}
