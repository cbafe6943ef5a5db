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
        double patchSeconds) {

    public static FastDowntimeResult completed(
            String message, List<PatchId> applied, List<PatchId> deferred, OutageReport outage) {
        return new FastDowntimeResult(
                Outcome.COMPLETED, message, applied, deferred, outage.outageMillis(), outage.patchSeconds());
    }

    public static FastDowntimeResult skipped(String why, List<PatchId> deferred) {
        return skipped(why, List.of(), deferred);
    }

    /** The outage was skipped; {@code applied} lists what was applied without one (approved LIVE patches). */
    public static FastDowntimeResult skipped(String why, List<PatchId> applied, List<PatchId> deferred) {
        return new FastDowntimeResult(Outcome.SKIPPED, why, applied, deferred, 0, 0);
    }
}
