package org.fastdowntime.model;

import java.util.List;

/**
 * The worker's check of a ledger request, item by item: the file as it is now, and why the item cannot be recorded
 * (not a pending patch, not an approver, the author, a signature that does not verify…), or null.
 *
 * @param signedOnly whether the environment accepts only signed verdicts
 */
public record ApprovalCheck(boolean signedOnly, List<Item> items) {
    public ApprovalCheck {
        items = items == null ? List.of() : List.copyOf(items);
    }

    /**
     * @param statement the signed statement, read back, when the item was signed
     * @param sha256 the pending file's checksum now (null when it is not pending)
     */
    public record Item(String patch, String sha256, ApprovalStatement statement, String problem) {}
}
