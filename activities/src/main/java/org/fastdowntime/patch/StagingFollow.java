package org.fastdowntime.patch;

import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.model.AppliedPatch;
import org.fastdowntime.model.Deployment;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchKind;

/**
 * Staging brought up with what a window applied to its environment: the patches staging lacks, each only if its
 * file is still the one applied, LIVE ones as LIVE and the COLD ones in one transaction, recorded as the window's.
 */
final class StagingFollow {
    private StagingFollow() {}

    /** Applies on {@code c} (staging) what it lacks of {@code applied}; returns those applied. */
    static List<PatchId> apply(
            Connection c,
            EnvironmentSettings target,
            EnvironmentSettings staging,
            List<AppliedPatch> applied,
            String deploymentId)
            throws SQLException, PatchEngineException, java.io.IOException {
        PatchSet set = StagingMatch.scan(target, staging, c);
        Set<PatchId> onStaging = new RevisionStore(staging.engineSettings().revisionTable()).appliedIds(c);
        List<PatchId> live = new ArrayList<>();
        List<PatchId> cold = new ArrayList<>();
        for (AppliedPatch a : applied) {
            if (onStaging.contains(a.id())) {
                continue;
            }
            PatchFile f = set.find(a.id()).orElse(null);
            // Only the file production ran: one edited since is not what was approved.
            if (f == null || !f.sha256().equals(a.sha256())) {
                throw ApplicationFailure.newNonRetryableFailure(
                        a.id() + "'s file is not the one the window applied: staging was not changed",
                        FailureType.PATCH_CHANGED.name());
            }
            (f.kind() == PatchKind.LIVE ? live : cold).add(a.id());
        }
        PatchEngine engine = new PatchEngine(staging.engineSettings());
        Deployment who = new Deployment(deploymentId, "fastdowntime", null, null);
        List<PatchId> followed = new ArrayList<>();
        if (!live.isEmpty()) {
            engine.applyLive(c, set, live, who).applied().forEach(a -> followed.add(a.id()));
        }
        if (!cold.isEmpty()) {
            engine.applyCold(c, set, cold, who).applied().forEach(a -> followed.add(a.id()));
        }
        return followed;
    }
}
