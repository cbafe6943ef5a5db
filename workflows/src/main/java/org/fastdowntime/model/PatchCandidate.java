package org.fastdowntime.model;

import java.time.Instant;

/**
 * A pending patch as resolved from the environment's folder, pinned by its checksum.
 *
 * @param landedAt when it landed (git, when a repository is configured; else when it was first seen
 *     pending), for lead-time figures; null when unknown
 * @param author who wrote it, {@code Name <email>} from git when a repository is configured, else
 *     null
 */
public record PatchCandidate(PatchId id, String file, String sha256, PatchKind kind, Instant landedAt, String author) {
    public PatchCandidate(PatchId id, String file, String sha256, PatchKind kind) {
        this(id, file, sha256, kind, null, null);
    }

    /** Whether {@code person} (an approver's name) wrote this patch, by git's record. */
    public boolean writtenBy(String person) {
        return Authors.wrote(author, person);
    }
}
