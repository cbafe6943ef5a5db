package org.fastdowntime.model;

import java.util.List;

/**
 * One line of a plan: a patch file (or a revision row without a file) against one database.
 *
 * @param file file name, or null for a revision recorded in the database with no file
 * @param kind null when the file is missing
 * @param sha256 of the file as it is now, null when missing
 * @param stagingSeconds the latest staging timing of this exact file content, when known
 */
public record PatchPlanEntry(
        PatchId id,
        String file,
        PatchKind kind,
        PatchStatus status,
        String sha256,
        List<LintFinding> lint,
        Double stagingSeconds) {}
