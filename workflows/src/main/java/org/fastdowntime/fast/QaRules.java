package org.fastdowntime.fast;

import org.fastdowntime.downtime.Change;
import org.fastdowntime.model.EnvironmentPolicy;
import org.fastdowntime.model.QaState;
import org.fastdowntime.model.QaWord;

/**
 * Who may say what about a candidate, with the gate's versioned rules, each asked only when a signal that it decides
 * comes (so windows that started before a rule keep their old answers).
 *
 * @param reason whether a qaBad must say why
 * @param list whether a signal may name several patches
 * @param edges whether a rejected patch stays rejected, the QA-ok and the sign-off need two people, and a
 *     signal names at most {@link QaGate#MOST_PATCHES}
 */
record QaRules(
        java.util.function.BooleanSupplier reason,
        java.util.function.BooleanSupplier list,
        java.util.function.BooleanSupplier edges) {
    /** The rules of windows running today's code. */
    static QaRules current() {
        return new QaRules(
                () -> Change.QABAD_REASON.isOn(), () -> Change.QA_LISTS.isOn(), () -> Change.QA_EDGES.isOn());
    }

    /**
     * Null if {@code by} may send {@code name} for {@code c}, else why not.
     *
     * @param ledger whether the word comes from the environment's approval ledger (which checked its signature)
     */
    String refusal(QaWord name, String by, QaCandidate c, EnvironmentPolicy policy, boolean ledger) {
        if (!ledger && policy.signedOnly()) {
            return policy.environment() + " counts only signed verdicts: ./fastdowntime approve --sign --environment "
                    + policy.environment();
        }
        if (name == QaWord.SIGN_OFF ? !policy.canSignOff(by) : !policy.canApprove(by)) {
            return by + " is not a configured " + (name == QaWord.SIGN_OFF ? "sign-off approver" : "approver");
        }
        if (name != QaWord.QA_BAD && c.patch.writtenBy(by)) {
            return by + " wrote " + c.patch.id() + " (" + c.patch.author() + ") and cannot approve it";
        }
        if (name == QaWord.QA_OK && by.equals(c.qaBy)) {
            return "duplicate: already approved by " + by;
        }
        return edge(name, by, c);
    }

    /** The edges of QA (change "qa-edges"): a rejection stands, and QA-ok and sign-off need two people. */
    private String edge(QaWord name, String by, QaCandidate c) {
        if (name == QaWord.QA_OK && c.state == QaState.REJECTED && edges.getAsBoolean()) {
            return c.patch.id() + " was rejected by " + c.rejectedBy
                    + ": a rejected patch stays out of this window (fix it in a new patch)";
        }
        if (name == QaWord.SIGN_OFF && by.equals(c.qaBy) && edges.getAsBoolean()) {
            return by + " gave " + c.patch.id() + " its QA-ok: its sign-off needs another person";
        }
        if (name == QaWord.QA_OK && by.equals(c.signedOffBy) && edges.getAsBoolean()) {
            return by + " signed " + c.patch.id() + " off: its QA-ok needs another person";
        }
        return null;
    }
}
