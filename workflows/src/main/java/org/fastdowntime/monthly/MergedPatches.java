package org.fastdowntime.monthly;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchKind;
import org.fastdowntime.model.ResolvedPatches;

/**
 * What a monthly window deploys: exactly the patches of the QA-ok'd merge, as plain code. Every
 * patch the merge commit's tree brings must be pending in the environment's folder with the SHA-256
 * it has in that tree; a pending patch the merge does not have (landed after it) is left for a
 * later downtime. Testable without git or Temporal.
 *
 * @param patches the pending candidates to apply, each one the merge's own
 * @param leftOut pending patches that are not in the merge
 * @param problem why the folder does not match the merge (null: it does)
 */
record MergedPatches(ResolvedPatches patches, List<PatchId> leftOut, String problem) {

    /**
     * @param merged the merge tree's patches the environment has not applied, with the tree's checksums
     * @param pending what the environment's folder holds pending now
     * @param commit the merge commit, for the messages
     */
    static MergedPatches select(List<PatchCandidate> merged, ResolvedPatches pending, String commit) {
        Map<PatchId, PatchCandidate> inFolder = new LinkedHashMap<>();
        pending.cold().forEach(p -> inFolder.put(p.id(), p));
        pending.live().forEach(p -> inFolder.put(p.id(), p));
        List<String> differences = new ArrayList<>();
        List<PatchCandidate> cold = new ArrayList<>();
        List<PatchCandidate> live = new ArrayList<>();
        for (PatchCandidate want : merged) {
            PatchCandidate have = inFolder.remove(want.id());
            if (have == null) {
                differences.add(want.file() + " is in the merge but not pending in the environment's folder");
            } else if (!have.sha256().equals(want.sha256())) {
                differences.add(have.file() + " has sha256 " + abbrev(have.sha256()) + " in the folder, "
                        + abbrev(want.sha256()) + " in the merge");
            } else {
                (have.kind() == PatchKind.LIVE ? live : cold).add(have);
            }
        }
        String problem = differences.isEmpty()
                ? null
                : "the patch folder differs from the merge " + MergePlan.shortSha(commit) + ": "
                        + String.join("; ", differences);
        return new MergedPatches(new ResolvedPatches(cold, live), List.copyOf(inFolder.keySet()), problem);
    }

    private static String abbrev(String sha256) {
        return sha256.substring(0, Math.min(12, sha256.length()));
    }
}
