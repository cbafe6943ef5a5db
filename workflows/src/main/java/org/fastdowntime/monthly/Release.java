package org.fastdowntime.monthly;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fastdowntime.model.AbortSignal;
import org.fastdowntime.model.MonthlyPolicy;
import org.fastdowntime.model.MonthlySignals;
import org.fastdowntime.model.MonthlyStage;

/**
 * The release around a monthly window, as plain state: RC mode and the merge commit, CI's blessing,
 * qastaging's re-QA, landings approved in RC mode, cowboys, incidents and an abort; and the rules
 * of the signals that change them. Each {@code …Problem} method says why a signal is refused (null:
 * accepted); the matching method applies an accepted one.
 */
final class Release {
    private static final Set<String> COWBOY_STATES = Set.of("outstanding", "landed", "reapply");

    private final Map<String, String> cowboys = new LinkedHashMap<>();
    private final List<String> incidents = new ArrayList<>();
    private final List<String> landings = new ArrayList<>();
    private final List<MonthlySignals.BackOut> backOuts = new ArrayList<>();
    private int backedOutCount;
    private String allBackedOut;
    private boolean rcMode;
    private String mergeCommit;
    private String mergedRevision;
    private String ciBlessedBy;
    private String qastagingOkBy;
    private AbortSignal abort;

    Release(List<String> cowboys) {
        cowboys.forEach(c -> this.cowboys.put(c, "outstanding"));
    }

    void merged(String revision, String commit) {
        mergedRevision = revision;
        mergeCommit = commit;
        rcMode = true;
    }

    void rcOff() {
        rcMode = false;
    }

    boolean rcMode() {
        return rcMode;
    }

    String mergeCommit() {
        return mergeCommit;
    }

    String ciBlessedBy() {
        return ciBlessedBy;
    }

    void ciBlessedBy(String by) {
        ciBlessedBy = by;
    }

    String qastagingOkBy() {
        return qastagingOkBy;
    }

    AbortSignal abort() {
        return abort;
    }

    /** The abort was acted on (the window moved): a new one may come. */
    void clearAbort() {
        abort = null;
    }

    /** The back-outs accepted after the merge, to carry out in order. */
    void queueBackOut(MonthlySignals.BackOut s) {
        backOuts.add(s);
    }

    boolean hasBackOut() {
        return !backOuts.isEmpty();
    }

    MonthlySignals.BackOut takeBackOut() {
        return backOuts.remove(0);
    }

    /**
     * devel's head after a revert, and the last revision still merged (null: none): what CI blesses
     * and the window deploys from now on.
     */
    void reverted(String head, String revision) {
        mergeCommit = head;
        mergedRevision = revision;
        backedOutCount++;
    }

    int backedOutCount() {
        return backedOutCount;
    }

    /** Everything merged was backed out: nothing is left to deploy (why), or null. */
    String allBackedOut() {
        return allBackedOut;
    }

    void allBackedOut(String why) {
        allBackedOut = why;
    }

    /** An abort, or nothing left to deploy: what every wait before the window watches for. */
    boolean stopped() {
        return abort != null || allBackedOut != null;
    }

    /** The next landing to record as approved, or null. */
    String takeLanding() {
        return landings.isEmpty() ? null : landings.remove(0);
    }

    boolean hasLanding() {
        return !landings.isEmpty();
    }

    Map<String, String> cowboys() {
        return Map.copyOf(cowboys);
    }

    List<String> incidents() {
        return List.copyOf(incidents);
    }

    void incident(String line) {
        incidents.add(line);
    }

    /** Cowboys not landed yet, for the reminder and the rollout notes; empty when there are none. */
    String outstandingCowboys() {
        List<String> open = cowboys.entrySet().stream()
                .filter(e -> !e.getValue().equals("landed"))
                .map(e -> e.getKey() + " (" + e.getValue() + ")")
                .toList();
        return open.isEmpty() ? "" : " Cowboys to re-apply after the rollout: " + String.join(", ", open) + ".";
    }

    // ---- the signals' rules ---------------------------------------------------------------------

    String ciBlessedProblem(MonthlySignals.Revision s, MonthlyStage stage, MonthlyPolicy policy) {
        String missing = needs(
                s,
                s == null ? null : s.invalid(),
                "\"revision\" and \"by\"",
                s == null ? null : s.revision(),
                s == null ? null : s.by());
        if (missing != null) {
            return missing;
        }
        if (stage != MonthlyStage.AWAITING_CI && stage != MonthlyStage.RC_MODE) {
            return "nothing awaits CI (stage " + stage + ")";
        }
        if (!policy.isLead(s.by())) {
            return s.by() + " is not a lead";
        }
        return mergeCommit.startsWith(s.revision())
                        || (mergedRevision != null && mergedRevision.startsWith(s.revision()))
                ? null
                : s.revision() + " is not the merge (" + MergePlan.shortSha(mergeCommit) + ")";
    }

    String landingProblem(MonthlySignals.Landing s, MonthlyPolicy policy) {
        String missing = needs(
                s,
                s == null ? null : s.invalid(),
                "\"commit\" and \"by\"",
                s == null ? null : s.commit(),
                s == null ? null : s.by());
        if (missing != null) {
            return missing;
        }
        if (!s.commit().matches("[0-9a-f]{7,40}")) {
            return "\"commit\" must be 7 to 40 hex digits";
        }
        if (!rcMode) {
            return "RC mode is off: nothing to approve";
        }
        return policy.isLead(s.by()) ? null : s.by() + " is not a lead";
    }

    void approveLanding(MonthlySignals.Landing s) {
        landings.add(s.commit());
    }

    String qastagingProblem(MonthlySignals.By s, MonthlyStage stage, MonthlyPolicy policy) {
        String missing = needs(s, s == null ? null : s.invalid(), "\"by\"", s == null ? null : s.by());
        if (missing != null) {
            return missing;
        }
        if (stage != MonthlyStage.AWAITING_QASTAGING) {
            return "qastaging is not waiting for re-QA (stage " + stage + ")";
        }
        return policy.fast().canApprove(s.by()) ? null : s.by() + " is not a configured approver";
    }

    void qastagingOk(MonthlySignals.By s) {
        qastagingOkBy = s.by();
    }

    String cowboyProblem(MonthlySignals.Cowboy s, MonthlyPolicy policy) {
        String missing = needs(
                s,
                s == null ? null : s.invalid(),
                "\"name\", \"by\" and \"state\"",
                s == null ? null : s.name(),
                s == null ? null : s.by(),
                s == null ? null : s.state());
        if (missing != null) {
            return missing;
        }
        if (!COWBOY_STATES.contains(s.state())) {
            return "state is outstanding, landed or reapply";
        }
        return policy.isAnyone(s.by()) ? null : s.by() + " has no role in this downtime";
    }

    void cowboy(MonthlySignals.Cowboy s) {
        cowboys.put(s.name(), s.state());
    }

    String abortProblem(AbortSignal s, MonthlyStage stage, MonthlyPolicy policy) {
        String missing = needs(
                s,
                s == null ? null : s.invalid(),
                "\"reason\" and \"by\"",
                s == null ? null : s.by(),
                s == null ? null : s.reason());
        if (missing != null) {
            return missing;
        }
        if (stage == MonthlyStage.WATCHING || stage.terminal()) {
            return "too late: stage " + stage;
        }
        if (!policy.isLead(s.by())) {
            return s.by() + " is not a lead";
        }
        return abort != null ? "already aborted by " + abort.by() : null;
    }

    void abort(AbortSignal s) {
        abort = s;
    }

    String backOutProblem(MonthlySignals.BackOut s, MonthlyStage stage, MonthlyPolicy policy, MergePlan plan) {
        String missing = needs(
                s,
                s == null ? null : s.invalid(),
                "\"revision\", \"by\" and \"reason\"",
                s == null ? null : s.revision(),
                s == null ? null : s.by(),
                s == null ? null : s.reason());
        if (missing != null) {
            return missing;
        }
        if (stage.terminal() || stage.compareTo(MonthlyStage.POST_CHECKS) >= 0) {
            return "the window has run (stage " + stage + "): back it out with a new patch";
        }
        if (stage.compareTo(MonthlyStage.SERVICES_PAUSED) >= 0 && stage != MonthlyStage.RESCHEDULED) {
            return "the window is under way (stage " + stage + "): abort it instead";
        }
        if (stage == MonthlyStage.MERGING) {
            return "the merge is being made: back out once it is done";
        }
        if (!policy.isLead(s.by())) {
            return s.by() + " is not a lead";
        }
        if (allBackedOut != null) {
            return "everything merged is backed out already";
        }
        return plan.backOutProblem(s.revision());
    }

    String issueProblem(MonthlySignals.Issue s, MonthlyStage stage, MonthlyPolicy policy) {
        String missing = needs(
                s,
                s == null ? null : s.invalid(),
                "\"summary\" and \"by\"",
                s == null ? null : s.summary(),
                s == null ? null : s.by());
        if (missing != null) {
            return missing;
        }
        if (stage == MonthlyStage.DONE) {
            return "the post-rollout watch has ended";
        }
        return policy.isAnyone(s.by()) ? null : s.by() + " has no role in this downtime";
    }

    /** The payload's own problem, or a missing field, or null. */
    private static String needs(Object payload, String invalid, String fields, String... values) {
        if (payload != null && invalid != null) {
            return invalid;
        }
        if (payload == null) {
            return "the payload needs " + fields;
        }
        for (String v : values) {
            if (v == null || v.isBlank()) {
                return "the payload needs " + fields;
            }
        }
        return null;
    }
}
