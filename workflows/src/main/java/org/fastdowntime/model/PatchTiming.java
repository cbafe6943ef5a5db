package org.fastdowntime.model;

/**
 * How long one cold patch took on staging, and whether that exceeds the per-patch budget.
 *
 * @param seconds the time on staging; negative when none is known (the patch is on staging already,
 *     applied by another tool)
 * @param source how the time is known: {@link #TIMED} just now (null in histories recorded before
 *     it existed means the same), {@link #HISTORY} from staging's history when the patch was applied
 *     there, {@link #NONE}
 */
public record PatchTiming(PatchId id, String file, String sha256, double seconds, boolean needsSignOff, String source) {
    public static final String TIMED = "timed";
    public static final String HISTORY = "history";
    public static final String NONE = "none";

    public PatchTiming(PatchId id, String file, String sha256, double seconds, boolean needsSignOff) {
        this(id, file, sha256, seconds, needsSignOff, TIMED);
    }

    /** Whether a time is known. */
    public boolean known() {
        return seconds >= 0;
    }
}
