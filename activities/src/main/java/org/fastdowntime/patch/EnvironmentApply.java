package org.fastdowntime.patch;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.env.Environments;
import org.fastdowntime.model.ApplyReport;
import org.fastdowntime.model.Deployment;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchKind;

/**
 * The pending cold patches of a staging environment applied in one transaction, by a person and outside any window:
 * for a staging that fell behind (restored from an old copy, a window that could not follow). Only an environment
 * that is another's staging: a production database changes in windows.
 */
public final class EnvironmentApply {
    private EnvironmentApply() {}

    /** Why {@code name} may not be changed this way, or null when it may. */
    public static String refusal(String name, Map<String, EnvironmentSettings> environments) {
        List<String> servedBy = environments.values().stream()
                .filter(e -> name.equals(e.staging()))
                .map(EnvironmentSettings::name)
                .toList();
        return servedBy.isEmpty()
                ? name + " is no environment's staging: its patches are applied in windows (start fast-downtime"
                        + " --environment " + name + ")"
                : null;
    }

    /** The cold patches {@code env}'s folder has and its database lacks, in the order they apply. */
    public static List<PatchId> pending(Connection c, EnvironmentSettings env) throws SQLException, IOException {
        PatchSet set = scan(env, c);
        Set<PatchId> applied = new RevisionStore(env.engineSettings().revisionTable()).appliedIds(c);
        return set.patches().stream()
                .filter(p -> p.kind() == PatchKind.COLD && !applied.contains(p.id()))
                .map(PatchFile::id)
                .toList();
    }

    /** Applies {@code env}'s pending cold patches in one transaction, recorded as applied by {@code by}. */
    public static ApplyReport apply(EnvironmentSettings env, String by)
            throws SQLException, IOException, PatchEngineException {
        try (Connection c = Environments.connect(env, "fastdowntime apply")) {
            List<PatchId> pending = pending(c, env);
            if (pending.isEmpty()) {
                return new ApplyReport(List.of(), List.of(), 0);
            }
            Deployment who = new Deployment("apply-" + UUID.randomUUID(), by, null, null);
            return new PatchEngine(env.engineSettings()).applyCold(c, scan(env, c), pending, who);
        }
    }

    static PatchSet scan(EnvironmentSettings env, Connection c) throws SQLException, IOException {
        return PatchFolder.scan(env.patches(), env.engineSettings(), Databases.serverVersionNum(c) / 10000);
    }
}
