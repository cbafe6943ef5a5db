package org.fastdowntime.model;

/** How long one cold patch took on staging, and whether that exceeds the per-patch budget. */
public record PatchTiming(PatchId id, String file, String sha256, double seconds, boolean needsSignOff) {}
