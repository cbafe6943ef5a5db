package org.fastdowntime.model;

import java.util.List;

/**
 * A verdict for the approval ledger: {@code {"word":"qaOk","by":"alice","items":[{"patch":"2211-30-0"}]}}; signed
 * items carry their statement and signature, which are what the ledger believes (the other fields must agree).
 *
 * @param word {@code qaOk}, {@code qaBad}, {@code signOff} or {@code revoke}
 * @param note why (a qaBad's reason, a revocation's reason) or a remark
 * @param window the window it was given to, when it was; null when given to the ledger
 */
public record LedgerRequest(String word, String by, String note, List<LedgerItem> items, String window) {
    public LedgerRequest {
        items = items == null ? List.of() : List.copyOf(items);
    }

    public LedgerWord verdict() {
        return LedgerWord.of(word);
    }
}
