package org.fastdowntime.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An approval ledger's state, carried from one run to the next when it continues as new.
 *
 * @param nonces the nonces of signed statements still fresh enough to be replayed, with when they were used
 * @param nextSeq the number of the next entry
 */
public record LedgerState(
        String environment, List<LedgerEntry> entries, Map<String, Instant> nonces, long nextSeq, int runs) {
    public LedgerState {
        entries = entries == null ? List.of() : List.copyOf(entries);
        nonces = nonces == null ? Map.of() : Map.copyOf(nonces);
        nextSeq = Math.max(1, nextSeq);
    }

    /** A new environment's empty ledger. */
    public static LedgerState empty(String environment) {
        return new LedgerState(environment, List.of(), Map.of(), 1, 0);
    }
}
