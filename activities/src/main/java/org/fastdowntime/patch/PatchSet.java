package org.fastdowntime.patch;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.Problem;

/**
 * What a patch folder holds: patch files in numeric order, baseline files ({@code
 * <name>-MAJOR-00-0.sql}), and every problem found while reading them. A set with problems must not
 * be applied. Its repeatable scripts follow the patches in every window that applies one.
 */
public record PatchSet(
        Path folder,
        List<PatchFile> patches,
        List<Path> baselines,
        List<Problem> problems,
        List<RepeatableScript> scripts) {

    public Optional<PatchFile> find(PatchId id) {
        return patches.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** The newest baseline (highest major), from which a fresh database is built. */
    public Optional<Path> latestBaseline() {
        return baselines.stream().max(java.util.Comparator.comparing(PatchFolder::baselineMajor));
    }

    public boolean valid() {
        return problems.isEmpty();
    }
}
