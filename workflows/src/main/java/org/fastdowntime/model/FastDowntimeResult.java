package org.fastdowntime.model;

import java.util.List;

/**
 * How a window ended when it did not fail: {@code COMPLETED} or {@code SKIPPED} (nothing approved,
 * nothing pending).
 */
public record FastDowntimeResult(
    Outcome outcome,
    String message,
    List<PatchId> applied,
    List<PatchId> deferred,
    long outageMillis,
    double patchSeconds) {}
