package org.fastdowntime.patch;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The patch engine's knobs.
 *
 * @param revisionTable Launchpad-compatible revision table, optionally schema-qualified; an
 *     unquoted SQL name
 * @param lockTimeout applied with SET LOCAL to every patch statement, and to waiting for the
 *     deployment lock
 * @param statementTimeout applied with SET LOCAL to every patch statement; zero means none
 * @param perPatchBudget a cold patch slower than this on staging needs sign-off (Launchpad: 15 s)
 * @param fastBudget the fast-downtime outage budget (5 minutes)
 * @param monthlyWindow the monthly window (90 minutes)
 * @param monthlyOverhead added to twice the staging time for the monthly estimate (10 minutes)
 * @param repeatableScripts file names in the patch folder re-applied after the patches, in this order
 *     (Launchpad's {@code trusted.sql} and {@code comments.sql})
 * @param grants the privileges application roles get on every table and sequence a window creates
 */
public record EngineSettings(
        String revisionTable,
        Duration lockTimeout,
        Duration statementTimeout,
        Duration perPatchBudget,
        Duration fastBudget,
        Duration monthlyWindow,
        Duration monthlyOverhead,
        List<String> repeatableScripts,
        List<Grant> grants) {

    /** Launchpad's scripts that follow the patches (upgrade.py applied them after every update). */
    public static final List<String> LAUNCHPAD_SCRIPTS = List.of("trusted.sql", "comments.sql");

    public static final String DEFAULT_REVISION_TABLE = "LaunchpadDatabaseRevision";
    private static final Pattern SQL_NAME =
            Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

    public EngineSettings {
        if (revisionTable == null || !SQL_NAME.matcher(revisionTable).matches()) {
            throw new IllegalArgumentException("revision table name '"
                    + revisionTable
                    + "' must be a plain SQL name ([schema.]name: letters, digits, _)");
        }
        requireNonNegative("lock timeout", lockTimeout);
        requireNonNegative("statement timeout", statementTimeout);
        requireNonNegative("per-patch budget", perPatchBudget);
        repeatableScripts = repeatableScripts == null ? LAUNCHPAD_SCRIPTS : List.copyOf(repeatableScripts);
        grants = grants == null ? List.of() : List.copyOf(grants);
    }

    public static EngineSettings defaults() {
        return new EngineSettings(
                DEFAULT_REVISION_TABLE,
                Duration.ofSeconds(5),
                Duration.ofMinutes(5),
                Duration.ofSeconds(15),
                Duration.ofMinutes(5),
                Duration.ofMinutes(90),
                Duration.ofMinutes(10),
                LAUNCHPAD_SCRIPTS,
                List.of());
    }

    public EngineSettings withRevisionTable(String table) {
        return new EngineSettings(
                table,
                lockTimeout,
                statementTimeout,
                perPatchBudget,
                fastBudget,
                monthlyWindow,
                monthlyOverhead,
                repeatableScripts,
                grants);
    }

    public EngineSettings withTimeouts(Duration lock, Duration statement) {
        return new EngineSettings(
                revisionTable,
                lock,
                statement,
                perPatchBudget,
                fastBudget,
                monthlyWindow,
                monthlyOverhead,
                repeatableScripts,
                grants);
    }

    public EngineSettings withPerPatchBudget(Duration budget) {
        return new EngineSettings(
                revisionTable,
                lockTimeout,
                statementTimeout,
                budget,
                fastBudget,
                monthlyWindow,
                monthlyOverhead,
                repeatableScripts,
                grants);
    }

    /** The same knobs with other scripts that follow the patches, and other grants on new objects. */
    public EngineSettings withFollowUps(List<String> scripts, List<Grant> newGrants) {
        return new EngineSettings(
                revisionTable,
                lockTimeout,
                statementTimeout,
                perPatchBudget,
                fastBudget,
                monthlyWindow,
                monthlyOverhead,
                scripts,
                newGrants);
    }

    private static void requireNonNegative(String what, Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be zero or positive, got " + d);
        }
    }
}
