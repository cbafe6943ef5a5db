package org.fastdowntime.model;

import java.time.Instant;

/**
 * A verdict the approval ledger holds: on a patch and the exact file (its SHA-256), by whom, when, and its proof when
 * it was signed. A revocation does not delete it: it stays, marked revoked, with who took it back and why.
 *
 * @param seq its number in the ledger, increasing
 * @param window the window it was given to, if any
 */
public record LedgerEntry(
        long seq,
        LedgerWord word,
        PatchId patch,
        String sha256,
        String by,
        Instant at,
        String note,
        String window,
        String statement,
        String signature,
        Instant revokedAt,
        String revokedBy,
        String revokeReason) {
    public boolean revoked() {
        return revokedAt != null;
    }

    public boolean signed() {
        return signature != null;
    }

    /** Whether it stands for {@code patch} at {@code sha256}: not revoked, and given for exactly that file. */
    public boolean standsFor(PatchId patch, String sha256) {
        return !revoked() && this.patch.equals(patch) && this.sha256.equals(sha256);
    }

    public LedgerEntry revoke(Instant when, String who, String why) {
        return new LedgerEntry(seq, word, patch, sha256, by, at, note, window, statement, signature, when, who, why);
    }
}
