package org.fastdowntime.monthly;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.fastdowntime.model.Authors;
import org.fastdowntime.model.MonthlyPolicy;
import org.fastdowntime.model.MonthlySignals;
import org.fastdowntime.model.MonthlyStatus;
import org.fastdowntime.model.PatchTiming;
import org.fastdowntime.model.RevisionInfo;
import org.fastdowntime.model.RevisionStatus;

/**
 * The QA-ok merge from db-stable, as plain code: the QA-oks received, the longest prefix of
 * revisions that may merge (a merge cannot skip a commit; revisions without patches pass), the
 * revisions dropped from its end until the estimate fits the window, and why each other revision
 * was left out. Testable without git or Temporal.
 */
final class MergePlan {
    private final Map<String, String> qaOks = new LinkedHashMap<>();
    private final Set<String> selfApproved = new HashSet<>();
    private final BooleanSupplier authorRule;
    private final Consumer<String> timeline;
    private List<RevisionStatus> revisions = List.of();
    private MonthlyStatus.Budget budget;
    private String merged;

    /**
     * @param authorRule whether a revision's author's own QA-ok is refused (a versioned rule: asked
     *     only when such a QA-ok is met)
     * @param timeline where the plan says what it decided
     */
    MergePlan(BooleanSupplier authorRule, Consumer<String> timeline) {
        this.authorRule = authorRule;
        this.timeline = timeline;
    }

    // ---- qaOk -----------------------------------------------------------------------------------

    String qaOkProblem(MonthlySignals.Revision s, MonthlyPolicy policy, Object stage) {
        if (s != null && s.invalid() != null) {
            return s.invalid();
        }
        if (s == null || blank(s.revision()) || blank(s.by())) {
            return "the payload needs \"revision\" and \"by\"";
        }
        if (s.revision().length() < 7) {
            return "the revision must be at least 7 hex digits";
        }
        if (merged != null || !revisions.isEmpty()) {
            return "the QA-ok merge is done (stage " + stage + ")";
        }
        return policy.fast().canApprove(s.by()) ? null : s.by() + " is not a configured approver";
    }

    void qaOk(MonthlySignals.Revision s) {
        qaOks.put(s.revision(), s.by());
    }

    /** Who QA-ok'd the revision; its own author's QA-ok does not count (said once). */
    String qaBy(RevisionInfo r) {
        String by = qaOks.entrySet().stream()
                .filter(e -> r.sha().startsWith(e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
        if (by != null && Authors.wrote(r.author(), by) && authorRule.getAsBoolean()) {
            if (selfApproved.add(r.sha())) {
                timeline.accept(
                        by + " wrote " + shortSha(r.sha()) + " (" + r.author() + "): their QA-ok does not count.");
            }
            return null;
        }
        return by;
    }

    // ---- the plan -------------------------------------------------------------------------------

    /** The revisions that may merge: the QA-ok prefix, before the budget. */
    record Prefix(List<RevisionInfo> revisions, String blocker) {
        boolean carriesPatches() {
            return revisions.stream().anyMatch(RevisionInfo::carriesPatches);
        }

        String last() {
            return revisions.get(revisions.size() - 1).sha();
        }
    }

    Prefix prefix(List<RevisionInfo> pending) {
        List<RevisionInfo> prefix = new ArrayList<>();
        String blocker = null;
        for (RevisionInfo r : pending) {
            String qaBy = qaBy(r);
            if (blocker == null && (!r.carriesPatches() || qaBy != null)) {
                prefix.add(r);
            } else if (blocker == null) {
                blocker = r.sha();
            }
        }
        return new Prefix(prefix, blocker);
    }

    /**
     * Drops revisions from the prefix's end until the estimate fits the window, records every
     * revision's state and the budget, and returns the revision to merge (null: nothing to merge).
     *
     * @param timings each patch file's time on staging, for the prefix's last revision's tree
     */
    String plan(List<RevisionInfo> pending, Prefix prefix, List<PatchTiming> timings, MonthlyPolicy policy) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        timings.forEach(t -> seconds.put(t.file(), t.seconds()));
        List<RevisionInfo> fit = new ArrayList<>(prefix.revisions());
        List<String> dropped = new ArrayList<>();
        double staging = prefix.carriesPatches() ? stagingOf(fit, seconds) : 0;
        while (prefix.carriesPatches() && !fit.isEmpty() && !policy.fits(staging)) {
            dropped.add(fit.remove(fit.size() - 1).sha());
            staging = stagingOf(fit, seconds);
        }
        List<RevisionStatus> states = new ArrayList<>();
        for (RevisionInfo r : pending) {
            String by = qaBy(r);
            String state = !r.carriesPatches() ? "NOT_NEEDED" : by != null ? "OK" : "WAITING";
            states.add(
                    new RevisionStatus(r, state, by, fit.contains(r), why(r, fit, dropped, prefix.blocker(), policy)));
        }
        revisions = states;
        double window = policy.windowLength().toMillis() / 1000.0;
        budget = new MonthlyStatus.Budget(staging, policy.estimateSeconds(staging), window, dropped);
        if (fit.isEmpty()) {
            timeline.accept("Nothing to merge: "
                    + (pending.isEmpty() ? "db-stable has no new revision" : "no QA-ok prefix fits")
                    + ".");
            return null;
        }
        merged = fit.get(fit.size() - 1).sha();
        timeline.accept(String.format(
                "Merging %d revision(s) up to %s: staging %.1f s, production estimate %.1f min of %d;"
                        + " excluded %d.",
                fit.size(),
                shortSha(merged),
                staging,
                policy.estimateSeconds(staging) / 60,
                policy.windowLength().toMinutes(),
                pending.size() - fit.size()));
        return merged;
    }

    private static String why(
            RevisionInfo r, List<RevisionInfo> fit, List<String> dropped, String blocker, MonthlyPolicy policy) {
        if (fit.contains(r)) {
            return null;
        }
        if (dropped.contains(r.sha())) {
            return "over budget: 2 x staging + "
                    + policy.estimateOverhead().toMinutes()
                    + " min would not fit the "
                    + policy.windowLength().toMinutes()
                    + " min window";
        }
        if (r.sha().equals(blocker)) {
            return "no QA-ok";
        }
        return "after " + shortSha(blocker) + ", which has no QA-ok (a merge cannot skip a commit)";
    }

    private static double stagingOf(List<RevisionInfo> revs, Map<String, Double> seconds) {
        return revs.stream()
                .flatMap(r -> r.patchFiles().stream())
                .mapToDouble(f -> seconds.getOrDefault(f.substring(f.lastIndexOf('/') + 1), 0.0))
                .sum();
    }

    String merged() {
        return merged;
    }

    MonthlyStatus.Budget budget() {
        return budget;
    }

    List<RevisionStatus> revisions() {
        return List.copyOf(revisions);
    }

    static String shortSha(String sha) {
        return sha == null ? "-" : sha.substring(0, Math.min(12, sha.length()));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
