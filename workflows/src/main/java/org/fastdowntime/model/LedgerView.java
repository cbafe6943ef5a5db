package org.fastdowntime.model;

import java.util.List;

/**
 * What an environment's approval ledger holds: every verdict still kept, oldest first.
 *
 * @param runs how many runs the ledger has had (it continues as new to stay small)
 * @param refused the latest requests given by signal ({@code give}) that were refused, with why
 */
public record LedgerView(String environment, List<LedgerEntry> entries, int runs, List<String> refused) {
    public LedgerView {
        entries = entries == null ? List.of() : List.copyOf(entries);
        refused = refused == null ? List.of() : List.copyOf(refused);
    }
}
