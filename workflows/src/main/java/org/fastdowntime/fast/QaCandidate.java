package org.fastdowntime.fast;

import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchQaStatus;
import org.fastdowntime.model.QaState;
import org.fastdowntime.model.QaWord;

/** A candidate's QA state; mutable here, shown as {@link PatchQaStatus}. */
final class QaCandidate {
    final PatchCandidate patch;
    Double stagingSeconds;
    boolean needsSignOff;
    QaState state = QaState.WAITING;
    String qaBy;
    String signedOffBy;
    String rejectedBy;
    String note;
    /** Why it needs a sign-off beyond its own time (the window's total), kept beside QA's note. */
    String overTotal;

    QaCandidate(PatchCandidate patch) {
        this.patch = patch;
    }

    PatchQaStatus view() {
        return new PatchQaStatus(
                patch.id(),
                patch.file(),
                patch.sha256(),
                stagingSeconds,
                needsSignOff,
                state,
                qaBy,
                signedOffBy,
                overTotal == null ? note : note == null ? overTotal : overTotal + "; " + note);
    }

    /** Takes back {@code by}'s {@code word}; returns whether it stood. The state follows what still stands. */
    boolean revoke(QaWord word, String by) {
        boolean stood =
                switch (word) {
                    case QA_OK -> by.equals(qaBy);
                    case SIGN_OFF -> by.equals(signedOffBy);
                    case QA_BAD -> by.equals(rejectedBy);
                    default -> false;
                };
        if (!stood || state == QaState.APPLIED || state == QaState.DEFERRED) {
            return false;
        }
        if (word == QaWord.QA_OK) {
            qaBy = null;
        } else if (word == QaWord.SIGN_OFF) {
            signedOffBy = null;
        } else {
            rejectedBy = null;
        }
        state = rejectedBy != null
                ? QaState.REJECTED
                : qaBy == null
                        ? QaState.WAITING
                        : needsSignOff && signedOffBy == null ? QaState.NEEDS_SIGN_OFF : QaState.APPROVED;
        return true;
    }

    boolean decided() {
        return state == QaState.APPROVED || state == QaState.REJECTED;
    }
}
