package org.fastdowntime.patch;

import java.nio.file.Path;
import java.util.List;
import org.fastdowntime.model.LintFinding;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchKind;

/**
 * A parsed, classified and linted patch file.
 *
 * @param revisionInsert the statement that records the patch's own revision row, or null when the
 *     engine must insert it
 */
public record PatchFile(
        PatchId id,
        Path path,
        String sha256,
        PatchKind kind,
        List<SqlStatement> statements,
        SqlStatement revisionInsert,
        List<LintFinding> lint) {

    public String fileName() {
        return path.getFileName().toString();
    }

    /**
     * The statements to execute; a LIVE patch's own revision INSERT is left to the engine's recorder.
     */
    public List<SqlStatement> executable() {
        if (kind == PatchKind.LIVE && revisionInsert != null) {
            return statements.stream().filter(s -> s != revisionInsert).toList();
        }
        return statements;
    }
}
