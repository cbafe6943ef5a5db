package org.fastdowntime.patch;

import java.nio.file.Path;
import java.util.List;
import org.fastdowntime.model.LintFinding;

/**
 * A script of the patch folder that is not a patch but follows them (Launchpad's {@code trusted.sql}
 * and {@code comments.sql}; Flyway's "repeatable migrations"): re-applied in the window's transaction
 * after the patches when it changed since it was last applied, or when any patch ran.
 */
public record RepeatableScript(Path path, String sha256, List<SqlStatement> statements, List<LintFinding> lint) {
    public String fileName() {
        return path.getFileName().toString();
    }
}
