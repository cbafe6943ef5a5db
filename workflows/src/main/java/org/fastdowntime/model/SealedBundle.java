package org.fastdowntime.model;

import java.util.List;

/**
 * What one window will run inside its outage, fixed when QA closes: the approved cold patches in order, the
 * repeatable scripts that follow them and the grant rules, each by the SHA-256 of its bytes, and one SHA-256
 * over the whole. The outage checks every byte against it before the gate closes and runs nothing else; an
 * empty bundle means no outage.
 *
 * @param rehearsal how the bundle was rehearsed before the seal (applied and rolled back, in its order), or why
 *     it was not
 * @param deferred approved patches the rehearsal left out, each with the error that did it
 */
public record SealedBundle(
        List<SealedFile> patches,
        List<SealedFile> scripts,
        String grantsSha256,
        String sha256,
        String rehearsal,
        List<Deferral> deferred) {
    public SealedBundle {
        patches = patches == null ? List.of() : List.copyOf(patches);
        scripts = scripts == null ? List.of() : List.copyOf(scripts);
        deferred = deferred == null ? List.of() : List.copyOf(deferred);
    }

    /** One file of the bundle; {@code id} is null for a repeatable script. */
    public record SealedFile(PatchId id, String file, String sha256) {}

    /** An approved patch the rehearsal left out, and why. */
    public record Deferral(PatchId id, String reason) {}

    public boolean nothingToApply() {
        return patches.isEmpty();
    }

    public List<PatchId> ids() {
        return patches.stream().map(SealedFile::id).toList();
    }

    /** The bundle's hash as people compare it: its first 12 hex digits. */
    public String shortSha() {
        return sha256 == null ? "" : sha256.substring(0, Math.min(12, sha256.length()));
    }
}
