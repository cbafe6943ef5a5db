package org.fastdowntime.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** What an approval ledger records about a patch: QA's three words, and the revocation of what was said. */
public enum LedgerWord {
    QA_OK(QaWord.QA_OK),
    QA_BAD(QaWord.QA_BAD),
    SIGN_OFF(QaWord.SIGN_OFF),
    /** Takes back every standing verdict on the patch. */
    REVOKE(null);

    private final QaWord word;

    LedgerWord(QaWord word) {
        this.word = word;
    }

    /** The window's word for it; null for {@link #REVOKE}. */
    public QaWord qaWord() {
        return word;
    }

    /** As JSON, statements and the command line carry it: {@code qaOk}, {@code qaBad}, {@code signOff}, {@code revoke}. */
    @JsonValue
    public String wire() {
        return word == null ? "revoke" : word.wire();
    }

    /** The word named {@code wire}, or null. */
    @JsonCreator
    public static LedgerWord of(String wire) {
        return Arrays.stream(values())
                .filter(w -> w.wire().equals(wire))
                .findFirst()
                .orElse(null);
    }
}
