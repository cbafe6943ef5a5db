package org.fastdowntime.model;

import java.util.List;

/**
 * The environment's pending patches: cold candidates for the outage and live ones to apply before
 * it.
 */
public record ResolvedPatches(List<PatchCandidate> cold, List<PatchCandidate> live) {}
