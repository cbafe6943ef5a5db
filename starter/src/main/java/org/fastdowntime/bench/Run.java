package org.fastdowntime.bench;

import java.util.Map;

/**
 * One repeat's figures for one outage; times in milliseconds. {@code kind} is {@code fastdowntime} or {@code
 * baseline} (the hand-written outage, whose apply is psql's); -1 where a load does not measure a figure (pgbench:
 * stall, p99). {@code applyMs} is the whole apply from BEGIN to COMMIT (statements, bookkeeping, COMMIT), {@code
 * patchMs} the patches' statements within it (the baseline's: the same). {@code standbys}: what the standbys' readers
 * saw, with {@code --standbys} (null otherwise, and for the baseline).
 */
record Run(
        int repeat,
        String kind,
        String outcome,
        double outageMs,
        double patchMs,
        double applyMs,
        double overheadMs,
        double startToGateClosedMs,
        long attempted,
        long failed,
        double longestStallMs,
        double p99Ms,
        long abortedClients,
        Map<String, Long> phaseMillis,
        BenchStandbys.Figures standbys) {
    static final String FASTDOWNTIME = "fastdowntime";
    static final String BASELINE = "baseline";
    static final String COMPLETED = "COMPLETED";

    boolean completed() {
        return outcome.equals(COMPLETED);
    }

    /** A window that never reached its outage: only what the clients saw. */
    static Run withoutOutage(int repeat, String outcome, Load.Figures clients) {
        return new Run(
                repeat,
                FASTDOWNTIME,
                outcome,
                0,
                0,
                0,
                0,
                0,
                clients.attempted(),
                clients.failed(),
                0,
                0,
                clients.aborted(),
                Map.of(),
                null);
    }
}
