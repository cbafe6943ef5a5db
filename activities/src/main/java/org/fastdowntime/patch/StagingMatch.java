package org.fastdowntime.patch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchTiming;

/**
 * Whether a staging database matches production well enough to time patches on it: staging must
 * have every patch production has, and nothing production lacks except patches pending in the folder
 * (QA on qastaging applies candidates before their window). A candidate already on staging keeps
 * the time recorded when it was applied there.
 */
public final class StagingMatch {
    private StagingMatch() {}

    /**
     * The target's patch folder as staging runs it: the target's repeatable scripts, staging's own grants (its
     * roles), read for staging's server version.
     */
    public static PatchSet scan(
            org.fastdowntime.env.EnvironmentSettings target,
            org.fastdowntime.env.EnvironmentSettings staging,
            Connection onStaging)
            throws SQLException, java.io.IOException {
        return PatchFolder.scan(
                target.patches(),
                staging.engineSettings()
                        .withFollowUps(
                                target.engineSettings().repeatableScripts(),
                                staging.engineSettings().grants()),
                Databases.serverVersionNum(onStaging) / 10000);
    }

    /**
     * What makes staging unfit to time on, as a person would fix it, or null.
     *
     * @param folder the patch folder both are compared against (its patches not in production are
     *     pending, and may be on staging already)
     */
    public static String problem(String staging, Set<PatchId> production, Set<PatchId> onStaging, PatchSet folder) {
        TreeSet<PatchId> lacks = new TreeSet<>(production);
        lacks.removeAll(onStaging);
        TreeSet<PatchId> extra = new TreeSet<>(onStaging);
        extra.removeAll(production);
        folder.patches().forEach(p -> extra.remove(p.id()));
        if (lacks.isEmpty() && extra.isEmpty()) {
            return null;
        }
        StringBuilder why = new StringBuilder();
        if (!lacks.isEmpty()) {
            why.append(staging).append(" lacks ").append(join(lacks)).append(" that production has");
        }
        if (!extra.isEmpty()) {
            why.append(why.length() == 0 ? staging : "; it").append(" has ").append(join(extra));
            why.append(" that production has not and the folder does not hold");
        }
        return why.append(": refresh staging").toString();
    }

    /**
     * The timing of a candidate already applied on staging: the seconds fastdowntime recorded when it
     * applied it there, or none (another tool applied it: then it needs a sign-off).
     */
    public static PatchTiming fromHistory(Connection c, PatchFile patch, Duration budget) throws SQLException {
        Double seconds = recordedSeconds(c, patch.id());
        if (seconds == null) {
            return new PatchTiming(patch.id(), patch.fileName(), patch.sha256(), -1, true, PatchTiming.NONE);
        }
        return new PatchTiming(
                patch.id(),
                patch.fileName(),
                patch.sha256(),
                seconds,
                seconds > budget.toMillis() / 1000.0,
                PatchTiming.HISTORY);
    }

    private static Double recordedSeconds(Connection c, PatchId id) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, RevisionStore.HISTORY_TABLE);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return null;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT seconds FROM " + RevisionStore.HISTORY_TABLE
                + " WHERE major = ? AND minor = ? AND patch = ? AND deployment_id <> 'staging-timing'"
                + " ORDER BY started_at DESC LIMIT 1")) {
            ps.setInt(1, id.major());
            ps.setInt(2, id.minor());
            ps.setInt(3, id.patch());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getDouble(1) : null;
            }
        }
    }

    private static String join(Set<PatchId> ids) {
        List<String> all = ids.stream().map(PatchId::toString).toList();
        return all.size() <= 10
                ? String.join(", ", all)
                : all.stream().limit(10).collect(Collectors.joining(", ")) + " and " + (all.size() - 10) + " more";
    }
}
