package org.fastdowntime.model;

import java.util.List;

/**
 * A repeatable script of the folder as the plan sees it.
 *
 * @param status {@code would run} (changed since it was last applied, or never applied: the next
 *     window re-applies it, as it does after any patch) or {@code unchanged}
 * @param lastApplied the SHA-256 it had when last applied, or null
 */
public record ScriptPlanEntry(String file, String sha256, String status, String lastApplied, List<LintFinding> lint) {
    public static final String WOULD_RUN = "would run";
    public static final String UNCHANGED = "unchanged";
}
