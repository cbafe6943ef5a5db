package org.fastdowntime.model;

/** One patch applied by the engine, with its own execution time. */
public record AppliedPatch(PatchId id, PatchKind kind, String sha256, double seconds) {}
