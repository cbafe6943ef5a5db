package org.fastdowntime.monthly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchKind;
import org.fastdowntime.model.ResolvedPatches;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What a monthly window deploys, without git or Temporal: the merge's patches, exactly. */
@Tag("unit")
class MergedPatchesTest {
    static final String MERGE = "0123456789abcdef0123";

    static PatchCandidate patch(String id, String sha, PatchKind kind) {
        return new PatchCandidate(PatchId.parse(id), "patch-" + id + ".sql", sha, kind);
    }

    @Test
    void theMergesPatchesAreDeployedAndLaterOnesLeftOut() {
        List<PatchCandidate> merged =
                List.of(patch("2211-30-0", "aaa", PatchKind.COLD), patch("2211-31-0", "bbb", PatchKind.LIVE));
        ResolvedPatches pending = new ResolvedPatches(
                List.of(patch("2211-30-0", "aaa", PatchKind.COLD), patch("2211-40-0", "ccc", PatchKind.COLD)),
                List.of(patch("2211-31-0", "bbb", PatchKind.LIVE)));
        MergedPatches m = MergedPatches.select(merged, pending, MERGE);
        assertNull(m.problem(), m.problem());
        assertEquals(List.of(PatchId.parse("2211-30-0")), ids(m.patches().cold()), "cold: the merge's only");
        assertEquals(List.of(PatchId.parse("2211-31-0")), ids(m.patches().live()), "live: the merge's only");
        assertEquals(List.of(PatchId.parse("2211-40-0")), m.leftOut(), "landed after the merge");
    }

    @Test
    void aPatchWhoseChecksumDiffersFromTheMergeIsAProblem() {
        MergedPatches m = MergedPatches.select(
                List.of(patch("2211-30-0", "aaaaaaaaaaaaaaaa", PatchKind.COLD)),
                new ResolvedPatches(List.of(patch("2211-30-0", "bbbbbbbbbbbbbbbb", PatchKind.COLD)), List.of()),
                MERGE);
        assertEquals(
                "the patch folder differs from the merge 0123456789ab: patch-2211-30-0.sql has sha256 bbbbbbbbbbbb"
                        + " in the folder, aaaaaaaaaaaa in the merge",
                m.problem());
    }

    @Test
    void aMergedPatchMissingFromTheFolderIsAProblem() {
        MergedPatches m = MergedPatches.select(
                List.of(patch("2211-30-0", "aaa", PatchKind.COLD)), new ResolvedPatches(List.of(), List.of()), MERGE);
        assertTrue(
                m.problem().endsWith("patch-2211-30-0.sql is in the merge but not pending in the environment's folder"),
                m.problem());
    }

    private static List<PatchId> ids(List<PatchCandidate> patches) {
        return patches.stream().map(PatchCandidate::id).toList();
    }
}
