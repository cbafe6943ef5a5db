package org.fastdowntime.model;

/** A pending patch as resolved from the environment's folder, pinned by its checksum. */
public record PatchCandidate(PatchId id, String file, String sha256, PatchKind kind) {}
