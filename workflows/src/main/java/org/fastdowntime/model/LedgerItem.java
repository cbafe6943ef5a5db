package org.fastdowntime.model;

/**
 * One patch of a request to the approval ledger.
 *
 * @param patch the patch's id
 * @param sha256 the checksum of the file that was judged; null in a named request: the file as it is now
 * @param statement the signed {@link ApprovalStatement}'s text, for a signed verdict
 * @param signature its OpenSSH signature (armored {@code SSHSIG}), for a signed verdict
 */
public record LedgerItem(String patch, String sha256, String statement, String signature) {
    public boolean signed() {
        return statement != null || signature != null;
    }
}
