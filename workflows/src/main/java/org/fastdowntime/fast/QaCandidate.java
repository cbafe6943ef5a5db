package org.fastdowntime.fast;

import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchQaStatus;
import org.fastdowntime.model.QaState;

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

    boolean decided() {
        return state == QaState.APPROVED || state == QaState.REJECTED;
    }
}
