package org.fastdowntime.model;

import java.util.List;

/**
 * The dry run of a patch folder against one database: every patch with its status, and every
 * problem that makes the set unsafe to apply. Field names are a stable contract of {@code plan
 * --json}.
 *
 * @param database the database's name (never its credentials)
 * @param serverVersion PostgreSQL's server_version_num, e.g. 150020
 * @param invalidIndexes indexes PostgreSQL marks INVALID (a failed CONCURRENTLY build), as
 *     schema.name
 * @param scripts the repeatable scripts (Launchpad's trusted.sql, comments.sql): whether the next
 *     window would re-apply each
 * @param ungranted existing tables and sequences a configured application role lacks its privileges
 *     on ({@code role: schema.name (PRIVILEGES)}); new ones get them in the window's transaction
 */
public record PatchPlan(
        String database,
        String folder,
        int serverVersion,
        List<PatchPlanEntry> patches,
        List<PatchId> pendingCold,
        List<PatchId> pendingLive,
        List<String> invalidIndexes,
        List<Problem> problems,
        List<ScriptPlanEntry> scripts,
        List<String> ungranted) {

    public PatchPlan {
        scripts = scripts == null ? List.of() : List.copyOf(scripts);
        ungranted = ungranted == null ? List.of() : List.copyOf(ungranted);
    }

    public boolean valid() {
        return problems.isEmpty();
    }
}
