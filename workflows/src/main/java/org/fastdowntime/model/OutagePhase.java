package org.fastdowntime.model;

/**
 * The outage activity's phases, in order, by the names its report keys their durations and start times with
 * ({@link OutageReport#phaseMillis()}): the outage measures them, the benchmark and the reports read them.
 */
public enum OutagePhase {
    /** The patcher's session opened. */
    CONNECT("connect"),
    /** Every sealed byte checked against the folder, the deploy lock taken. */
    CHECK_FILES("check files"),
    /** The gate's preparations before the window (pgbouncer's pools, the roles to refuse). */
    PREPARE_GATE("prepare gate"),
    /** New connections refused. */
    CLOSE_GATE("close gate"),
    /** Every other session terminated, the fragile ones checked first. */
    KICK("kick"),
    /** BEGIN to COMMIT: the patches, the bookkeeping, the commit. */
    APPLY("apply"),
    /** Connections let back in. */
    OPEN_GATE("open gate");

    private final String label;

    OutagePhase(String label) {
        this.label = label;
    }

    /** The key of this phase in a report's maps. */
    public String label() {
        return label;
    }

    /** This phase's duration in {@code report}, in milliseconds, or {@code orElse} if it did not record it. */
    public long millisIn(OutageReport report, long orElse) {
        return report.phaseMillis() == null ? orElse : report.phaseMillis().getOrDefault(label, orElse);
    }

    /** When this phase started in {@code report}, or null. */
    public java.time.Instant startIn(OutageReport report) {
        return report.phaseStartedAt() == null ? null : report.phaseStartedAt().get(label);
    }
}
