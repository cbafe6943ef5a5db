package org.fastdowntime.patch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchKind;
import org.fastdowntime.model.ProblemType;

/**
 * Exactly what one cold transaction runs: the patches, in order, then the repeatable scripts that follow them.
 * Built from named ids only: an empty selection is an empty bundle, which runs nothing (never "every pending
 * patch"); a caller that means every pending patch names them ({@link PatchEngine#pending}).
 */
public record ColdBundle(List<PatchFile> patches, List<RepeatableScript> scripts) {
    public ColdBundle {
        patches = List.copyOf(patches);
        scripts = List.copyOf(scripts);
    }

    public static final ColdBundle EMPTY = new ColdBundle(List.of(), List.of());

    /**
     * The named cold patches of {@code set}, in id order, followed by all of its repeatable scripts (Launchpad
     * re-applies them after every update); no id, no script either.
     */
    public static ColdBundle of(PatchSet set, Collection<PatchId> ids) throws PatchEngineException {
        List<PatchFile> patches = select(set, ids, PatchKind.COLD);
        return new ColdBundle(patches, patches.isEmpty() ? List.of() : set.scripts());
    }

    public boolean isEmpty() {
        return patches.isEmpty();
    }

    public List<PatchId> ids() {
        return patches.stream().map(PatchFile::id).toList();
    }

    /** The named patches of {@code kind}, in id order; a name that is not a {@code kind} patch of the set is refused. */
    static List<PatchFile> select(PatchSet set, Collection<PatchId> ids, PatchKind kind) throws PatchEngineException {
        List<PatchFile> out = new ArrayList<>();
        for (PatchId id : new TreeSet<>(ids)) {
            PatchFile p = set.find(id)
                    .orElseThrow(() -> new PatchEngineException(
                            ProblemType.BAD_ARGUMENTS, "no patch file patch-" + id + ".sql in " + set.folder()));
            if (p.kind() != kind) {
                throw new PatchEngineException(
                        ProblemType.BAD_ARGUMENTS, "patch " + id + " is " + p.kind() + ", not " + kind);
            }
            out.add(p);
        }
        return out;
    }
}
