package org.fastdowntime.model;

import java.util.List;

/** What the approval ledger answers a request it recorded: the entries it added, in the request's order. */
public record LedgerAnswer(List<LedgerEntry> recorded) {
    public LedgerAnswer {
        recorded = recorded == null ? List.of() : List.copyOf(recorded);
    }
}
