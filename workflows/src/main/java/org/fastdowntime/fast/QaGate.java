package org.fastdowntime.fast;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.fastdowntime.downtime.Inbox;
import org.fastdowntime.downtime.Verdicts;
import org.fastdowntime.model.AbortSignal;
import org.fastdowntime.model.EnvironmentPolicy;
import org.fastdowntime.model.FastStage;
import org.fastdowntime.model.Lenient;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchKind;
import org.fastdowntime.model.PatchQaStatus;
import org.fastdowntime.model.PatchTiming;
import org.fastdowntime.model.QaSignal;
import org.fastdowntime.model.QaState;
import org.fastdowntime.model.QaWord;

/**
 * A fast window's QA gate: the candidates with their QA state, and the judging of every qaOk,
 * qaBad, signOff and abort. Plain state: the workflow feeds it and asks it; it does no Temporal
 * call, so it can be tested alone.
 *
 * <p>Signals are held until the candidates are known and timed ({@link #open}); from then on each
 * is judged at once against the policy: who may approve or sign off, the patch's own author, the QA
 * deadline, duplicates.
 */
final class QaGate {
    /** What QA decided by the deadline. */
    record Decision(List<PatchCandidate> approved, List<PatchId> deferred) {
        /** The approved LIVE patches: applied outside the outage, before quiesce. */
        List<PatchCandidate> live() {
            return approved.stream().filter(p -> p.kind() == PatchKind.LIVE).toList();
        }

        /** The approved COLD patches: the outage's. */
        List<PatchCandidate> cold() {
            return approved.stream().filter(p -> p.kind() != PatchKind.LIVE).toList();
        }
    }

    private final Verdicts verdicts;
    private final Supplier<FastStage> stage;
    private final QaRules rules;
    private final java.util.function.BooleanSupplier reasonRule;
    private final java.util.function.BooleanSupplier listRule;
    private final java.util.function.BooleanSupplier edgeRule;

    /** The most patches one signal may name; beyond, the whole signal is refused with one verdict. */
    static final int MOST_PATCHES = 200;

    private final Inbox inbox = new Inbox();
    private java.util.function.BiConsumer<QaWord, QaSignal> accepted = (word, signal) -> {};
    private final Map<PatchId, QaCandidate> candidates = new LinkedHashMap<>();
    private EnvironmentPolicy policy;
    private boolean qaOpen = true;
    private AbortSignal abort;
    private String closedWhy = "the window ended before it could judge signals";

    /** @param stage the window's current stage, which some verdicts depend on and name */
    QaGate(Verdicts verdicts, Supplier<FastStage> stage, QaRules rules) {
        this.verdicts = verdicts;
        this.stage = stage;
        this.rules = rules;
        this.reasonRule = rules.reason();
        this.listRule = rules.list();
        this.edgeRule = rules.edges();
    }

    void candidates(List<PatchCandidate> patches) {
        patches.forEach(c -> candidates.put(c.id(), new QaCandidate(c)));
    }

    boolean noCandidates() {
        return candidates.isEmpty();
    }

    List<PatchId> ids() {
        return new ArrayList<>(candidates.keySet());
    }

    /** The COLD candidates: what staging times (a LIVE patch cannot run in the timing's transaction). */
    List<PatchId> coldIds() {
        return candidates.values().stream()
                .filter(c -> c.patch.kind() != PatchKind.LIVE)
                .map(c -> c.patch.id())
                .toList();
    }

    /** Staging times; true for each that was a candidate. */
    boolean timed(PatchTiming t) {
        QaCandidate c = candidates.get(t.id());
        if (c == null) {
            return false;
        }
        c.stagingSeconds = t.known() ? t.seconds() : null;
        c.needsSignOff = t.needsSignOff();
        return true;
    }

    /** The sum of the candidates' staging times, in seconds. */
    double stagingTotal() {
        return candidates.values().stream()
                .filter(c -> c.stagingSeconds != null)
                .mapToDouble(c -> c.stagingSeconds)
                .sum();
    }

    /**
     * The window's time budget is an aggregate (Launchpad: 10–15 s in total on staging): counting the
     * timed candidates in order, each one that takes the total past {@code budget} needs a sign-off,
     * like a patch over the per-patch budget; without one it is deferred. Returns those newly marked.
     */
    List<PatchId> overTotal(java.time.Duration budget) {
        double limit = budget.toMillis() / 1000.0;
        double total = 0;
        List<PatchId> over = new ArrayList<>();
        for (QaCandidate c : candidates.values()) {
            if (c.stagingSeconds == null) {
                continue;
            }
            total += c.stagingSeconds;
            if (total > limit && !c.needsSignOff) {
                c.needsSignOff = true;
                c.overTotal = String.format(
                        java.util.Locale.ROOT,
                        "over the window's total: %.1f s on staging with this patch, of %.1f s",
                        total,
                        limit);
                over.add(c.patch.id());
            }
        }
        return over;
    }

    /** The candidates are known and timed: judge the held signals, then each as it comes. */
    void open(EnvironmentPolicy policy) {
        this.policy = policy;
        inbox.open();
    }

    /** The window ended before it could judge: held signals are kept as rejected, with why. */
    void closeUnjudged(String why) {
        closedWhy = why;
        inbox.close(why);
    }

    /** A QA signal; one naming several patches is judged patch by patch, each with its own verdict. */
    void receive(QaWord name, QaSignal qa) {
        receive(name, qa, qa != null && qa.several() && listRule.getAsBoolean());
    }

    /** @param several whether to judge each patch it names on its own */
    void receive(QaWord name, QaSignal qa, boolean several) {
        List<QaSignal> each = several && qa != null ? qa.each() : java.util.Collections.singletonList(qa);
        if (each.size() > MOST_PATCHES) {
            String what = each.size() + " patches";
            inbox.deliver(delivery(name, qa.by(), what, () -> {
                if (edgeRule.getAsBoolean()) {
                    verdicts.judge(
                            name.wire(),
                            qa.by(),
                            what,
                            "a signal names at most " + MOST_PATCHES + " patches; send them in several",
                            null);
                } else {
                    each.forEach(one -> judgeQa(name, one, false));
                }
            }));
            return;
        }
        for (QaSignal one : each) {
            inbox.deliver(delivery(
                    name,
                    one == null ? null : one.by(),
                    one == null ? null : one.patch(),
                    () -> judgeQa(name, one, false)));
        }
    }

    /**
     * What {@code name} with {@code qa} would be told, patch by patch, without changing anything: null for each
     * patch that would be accepted. Before the candidates are known, nothing can be said yet (all null).
     */
    List<String> problems(QaWord name, QaSignal qa) {
        List<String> out = new ArrayList<>();
        for (QaSignal one : qa == null ? java.util.Collections.<QaSignal>singletonList(null) : qa.each()) {
            out.add(policy == null ? null : check(name, one, false).problem());
        }
        return out;
    }

    void receiveAbort(AbortSignal s) {
        inbox.deliver(delivery(QaWord.ABORT, s == null ? null : s.by(), null, () -> judgeAbort(s)));
    }

    private Inbox.Delivery delivery(QaWord name, String by, String subject, Runnable judge) {
        return new Inbox.Delivery() {
            @Override
            public void judge() {
                if (policy == null) {
                    unjudged(closedWhy);
                } else {
                    judge.run();
                }
            }

            @Override
            public void unjudged(String why) {
                verdicts.unjudged(name.wire(), by, subject, why);
            }
        };
    }

    boolean allDecided() {
        return candidates.values().stream().allMatch(QaCandidate::decided);
    }

    AbortSignal abort() {
        return abort;
    }

    /** QA closes: what is approved goes, what is undecided is deferred to a later window. */
    Decision close() {
        qaOpen = false;
        List<PatchId> deferred = new ArrayList<>();
        List<PatchCandidate> approved = new ArrayList<>();
        for (QaCandidate c : candidates.values()) {
            if (c.state == QaState.APPROVED) {
                approved.add(c.patch);
            } else if (c.state != QaState.REJECTED) {
                c.state = QaState.DEFERRED;
                deferred.add(c.patch.id());
            }
        }
        return new Decision(approved, deferred);
    }

    /** An approved patch left out after QA (its rehearsal failed): deferred to a later window, with why. */
    void deferred(PatchId id, String why) {
        QaCandidate c = candidates.get(id);
        c.state = QaState.DEFERRED;
        c.note = c.note == null ? why : c.note + "; " + why;
    }

    void applied(Collection<PatchId> ids) {
        ids.forEach(id -> candidates.get(id).state = QaState.APPLIED);
    }

    PatchCandidate candidate(PatchId id) {
        return candidates.get(id).patch;
    }

    /** Where the words this window accepts are passed on (its environment's approval ledger). */
    void onAccepted(java.util.function.BiConsumer<QaWord, QaSignal> sink) {
        accepted = sink;
    }

    /** A verdict from the environment's approval ledger, judged like a signal; returns whether it was accepted. */
    boolean fromLedger(QaWord name, QaSignal s) {
        return qaOpen && judgeQa(name, s, true);
    }

    /** A verdict the ledger revoked is taken back here too, said on the timeline; false if QA is closed. */
    boolean revoked(PatchId id, QaWord word, String by, String revokedBy, String why) {
        QaCandidate c = candidates.get(id);
        if (!qaOpen || c == null || !c.revoke(word, by)) {
            return false;
        }
        return verdicts.judge("revoke", revokedBy, id.toString(), null, word.wire() + " by " + by + " revoked: " + why);
    }

    /** The candidate {@code id}, or null when it is not one. */
    QaCandidate find(PatchId id) {
        return candidates.get(id);
    }

    List<PatchQaStatus> view() {
        return candidates.values().stream().map(QaCandidate::view).toList();
    }

    private boolean judgeQa(QaWord name, QaSignal s, boolean ledger) {
        Check check = check(name, s, ledger);
        String problem = check.problem();
        boolean ok = verdicts.judge(
                name.wire(),
                check.by(),
                check.patch(),
                problem,
                problem == null ? apply(name, check.by(), s, check.c()) + (ledger ? " (from the ledger)" : "") : null);
        if (ok && !ledger) {
            accepted.accept(name, s);
        }
        return ok;
    }

    /** A QA signal checked against the gate: the candidate it is about, and why it cannot be accepted (or null). */
    private record Check(String by, String patch, QaCandidate c, String problem) {}

    private Check check(QaWord name, QaSignal s, boolean ledger) {
        String by = s == null ? null : Lenient.shown(s.by());
        String patch = s == null ? null : Lenient.shown(s.patch());
        QaCandidate c = null;
        String problem = null;
        if (s != null && s.invalid() != null) {
            problem = s.invalid();
        } else if (s == null || by == null || by.isBlank() || patch == null || patch.isBlank()) {
            problem = "the payload needs \"patch\" and \"by\"";
        } else if (name == QaWord.QA_BAD && (s.reason() == null || s.reason().isBlank()) && reasonRule.getAsBoolean()) {
            problem = "a qaBad needs a \"reason\": the author reads it to fix the patch";
        } else if (!qaOpen || stage.get().terminal()) {
            problem = "QA for this window is closed (stage " + stage.get() + ")";
        } else {
            try {
                c = candidates.get(PatchId.parse(patch));
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
            if (problem == null && c == null) {
                problem = patch + " is not a candidate of this window";
            }
        }
        if (problem == null) {
            problem = rules.refusal(name, by, c, policy, ledger);
        }
        return new Check(by, patch, c, problem);
    }

    /** Applies an accepted QA signal; returns what it did, for the verdict. */
    private String apply(QaWord name, String by, QaSignal s, QaCandidate c) {
        String note = s.reason() != null ? s.reason() : s.note();
        if (note != null) {
            c.note = note;
        }
        switch (name) {
            case QA_OK -> {
                c.qaBy = by;
                c.state = c.needsSignOff && c.signedOffBy == null ? QaState.NEEDS_SIGN_OFF : QaState.APPROVED;
                return c.state == QaState.APPROVED ? "approved" : "QA-ok; waiting for a sign-off (over budget)";
            }
            case QA_BAD -> {
                c.state = QaState.REJECTED;
                c.rejectedBy = by;
                return "rejected: left out of this window";
            }
            case SIGN_OFF -> {
                c.signedOffBy = by;
                if (c.qaBy != null && c.state != QaState.REJECTED) {
                    c.state = QaState.APPROVED;
                }
                return c.needsSignOff ? "signed off" : "signed off (no sign-off was needed)";
            }
            default -> throw new IllegalArgumentException(name.wire() + " is not a verdict on a patch");
        }
    }

    private void judgeAbort(AbortSignal s) {
        String by = s == null ? null : Lenient.shown(s.by());
        String problem = null;
        if (s != null && s.invalid() != null) {
            problem = s.invalid();
        } else if (s == null
                || by == null
                || by.isBlank()
                || s.reason() == null
                || s.reason().isBlank()) {
            problem = "the payload needs \"reason\" and \"by\"";
        } else if (stage.get().terminal()) {
            problem = "the window has already ended (stage " + stage.get() + ")";
        } else if (!policy.canAbort(by)) {
            problem = by + " may not abort (not an approver or sign-off approver)";
        } else if (abort != null) {
            problem = "duplicate: already aborted by " + abort.by();
        }
        if (verdicts.judge(
                QaWord.ABORT.wire(), by, null, problem, "accepted (" + (s == null ? "" : s.reason()) + ")")) {
            abort = s;
        }
    }
}
