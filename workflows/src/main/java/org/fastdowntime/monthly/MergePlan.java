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
    /** Revisions (7+ hex digits) a lead backed out before the merge, with why. */
    private final Map<String, String> backedOut = new LinkedHashMap<>();

    private final Map<String, Double> seconds = new LinkedHashMap<>();
    private List<RevisionStatus> revisions = List.of();
    private MonthlyStatus.Budget budget;
    private String merged;
    private MonthlyPolicy policy;

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

    /** @param signed whether the QA-ok came signed and its signature was verified */
    String qaOkProblem(MonthlySignals.Revision s, MonthlyPolicy policy, Object stage, boolean signed) {
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
        if (!signed && policy.fast().signedOnly()) {
            return policy.environment() + " counts only signed QA-oks: ./fastdowntime qa-revision ID --revision "
                    + s.revision() + " --by " + s.by() + " --sign";
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
            if (blocker == null && backedOut(r) == null && (!r.carriesPatches() || qaBy != null)) {
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
        this.policy = policy;
        timings.forEach(t -> seconds.put(t.file(), t.seconds()));
        List<RevisionInfo> fit = new ArrayList<>(prefix.revisions());
        List<String> dropped = new ArrayList<>();
        double staging = prefix.carriesPatches() ? stagingOf(fit, seconds) : 0;
        while (prefix.carriesPatches() && !fit.isEmpty() && !policy.fits(staging)) {
            dropped.add(fit.remove(fit.size() - 1).sha());
            staging = stagingOf(fit, seconds);
        }
        List<RevisionStatus> states = new ArrayList<>();
        boolean blockerBackedOut =
                pending.stream().anyMatch(r -> r.sha().equals(prefix.blocker()) && backedOut(r) != null);
        for (RevisionInfo r : pending) {
            String by = qaBy(r);
            String state = !r.carriesPatches() ? "NOT_NEEDED" : by != null ? "OK" : "WAITING";
            String why = backedOut(r) != null && !fit.contains(r)
                    ? backedOut(r)
                    : why(r, fit, dropped, prefix.blocker(), blockerBackedOut, policy);
            states.add(new RevisionStatus(r, state, by, fit.contains(r), why));
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
            RevisionInfo r,
            List<RevisionInfo> fit,
            List<String> dropped,
            String blocker,
            boolean blockerBackedOut,
            MonthlyPolicy policy) {
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
        return "after " + shortSha(blocker) + ", which " + (blockerBackedOut ? "was backed out" : "has no QA-ok")
                + " (a merge cannot skip a commit)";
    }

    // ---- backing out ----------------------------------------------------------------------------

    /** Why a lead's backOut names a revision that cannot be backed out, or null. */
    String backOutProblem(String revision) {
        if (!revision.matches("[0-9a-f]{7,40}")) {
            return "\"revision\" must be 7 to 40 hex digits";
        }
        if (merged == null) {
            return revisions.isEmpty() ? null : "nothing is merged";
        }
        return mergedFrom(revision) < 0 ? revision + " is not one of the merged revisions" : null;
    }

    /** Before the merge: the revision stays out of it (and the merge stops before it). */
    void backOutBeforeMerge(String revision, String why) {
        backedOut.put(revision, why);
    }

    boolean isMerged() {
        return merged != null;
    }

    /**
     * After the merge, once reverted: the revision and every revision merged after it leave the plan
     * (a merge is a prefix), and the budget is made again.
     */
    void backOutMerged(String revision, String why) {
        int from = mergedFrom(revision);
        String first = null;
        int index = 0;
        List<RevisionStatus> states = new ArrayList<>();
        List<RevisionInfo> kept = new ArrayList<>();
        for (RevisionStatus s : revisions) {
            if (s.merged() && index++ >= from) {
                first = first == null ? s.revision().sha() : first;
                String because =
                        s.revision().sha().equals(first) ? why : "after " + shortSha(first) + ", which was backed out";
                states.add(new RevisionStatus(s.revision(), s.qa(), s.qaBy(), false, because));
            } else {
                if (s.merged()) {
                    kept.add(s.revision());
                }
                states.add(s);
            }
        }
        revisions = states;
        double staging = stagingOf(kept, seconds);
        budget = new MonthlyStatus.Budget(
                staging,
                policy.estimateSeconds(staging),
                policy.windowLength().toMillis() / 1000.0,
                budget == null ? List.of() : budget.dropped());
        merged = kept.isEmpty() ? null : kept.get(kept.size() - 1).sha();
        timeline.accept(
                merged == null
                        ? "The plan again: nothing is left to deploy."
                        : String.format(
                                "The plan again: %d revision(s) up to %s, staging %.1f s, production estimate %.1f"
                                        + " min.",
                                kept.size(), shortSha(merged), staging, policy.estimateSeconds(staging) / 60));
    }

    /** The merged revisions a back-out of {@code revision} reverts: it and those after it, newest first. */
    List<String> toRevert(String revision) {
        List<RevisionStatus> in =
                revisions.stream().filter(RevisionStatus::merged).toList();
        List<String> out = new ArrayList<>();
        for (int i = in.size() - 1; i >= mergedFrom(revision); i--) {
            out.add(in.get(i).revision().sha());
        }
        return out;
    }

    /** The index among the merged revisions of the one {@code revision} names, or -1. */
    private int mergedFrom(String revision) {
        List<RevisionStatus> in =
                revisions.stream().filter(RevisionStatus::merged).toList();
        for (int i = 0; i < in.size(); i++) {
            if (in.get(i).revision().sha().startsWith(revision)) {
                return i;
            }
        }
        return -1;
    }

    private String backedOut(RevisionInfo r) {
        return backedOut.entrySet().stream()
                .filter(e -> r.sha().startsWith(e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
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
