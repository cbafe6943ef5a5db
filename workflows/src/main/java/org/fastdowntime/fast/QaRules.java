package org.fastdowntime.fast;

import org.fastdowntime.downtime.Change;

/**
 * The gate's versioned rules, each asked only when a signal that it decides comes (so windows that started
 * before a rule keep their old answers).
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
}
