package org.fastdowntime.model;

import java.time.Instant;

/**
 * A pending patch as resolved from the environment's folder, pinned by its checksum.
 *
 * @param landedAt when it landed (git, when a repository is configured; else when it was first seen pending), for
 *     lead-time figures; null when unknown
 */
public record PatchCandidate(PatchId id, String file, String sha256, PatchKind kind, Instant landedAt) {
  public PatchCandidate(PatchId id, String file, String sha256, PatchKind kind) {
    this(id, file, sha256, kind, null);
  }
}
