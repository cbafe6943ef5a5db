package org.fastdowntime.ledger;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import org.fastdowntime.model.ApprovalStatement;
import org.fastdowntime.model.LedgerItem;
import org.fastdowntime.model.LedgerWord;
import org.fastdowntime.model.RevisionStatement;
import org.fastdowntime.model.SignedStatement;
import org.fastdowntime.sign.SigningException;
import org.fastdowntime.sign.SshSignature;
import org.fastdowntime.sign.SshSigner;

/** Signs a person's verdict on a patch for the ledger: a fresh statement with a new nonce, signed where the key is. */
public final class SignedVerdicts {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SignedVerdicts() {}

    /** The statement of {@code by}'s {@code word} on the file {@code sha256} of {@code patch}, made at {@code time}. */
    public static ApprovalStatement statement(
            String environment, String patch, String sha256, LedgerWord word, String by, Instant time, String note) {
        ApprovalStatement s = new ApprovalStatement(environment, patch, sha256, word, by, time, nonce(), note);
        String problem = s.problem();
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return s;
    }

    /** The ledger item carrying {@code statement} signed by {@code signer} in the namespace {@code fastdowntime}. */
    public static LedgerItem sign(SshSigner signer, ApprovalStatement statement) throws SigningException {
        SignedStatement signed = signText(signer, statement.text());
        return new LedgerItem(statement.patch(), statement.sha256(), signed.statement(), signed.signature());
    }

    /** {@code by}'s QA-ok of {@code revision} for a monthly downtime of {@code environment}, made at {@code time}. */
    public static RevisionStatement revisionStatement(
            String environment, String revision, String by, Instant time, String note) {
        RevisionStatement s = new RevisionStatement(environment, revision, by, time, nonce(), note);
        String problem = s.problem();
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return s;
    }

    /** {@code text} signed by {@code signer} in the namespace {@code fastdowntime}. */
    public static SignedStatement signText(SshSigner signer, String text) throws SigningException {
        SshSignature signature =
                SshSignature.sign(signer, SshSignature.NAMESPACE, text.getBytes(StandardCharsets.UTF_8));
        return new SignedStatement(text, signature.armored());
    }

    private static String nonce() {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return HexFormat.of().formatHex(nonce);
    }
}
