package org.fastdowntime.monthly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fastdowntime.model.EnvironmentPolicy;
import org.fastdowntime.model.MonthlyPolicy;
import org.fastdowntime.model.MonthlySignals;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchTiming;
import org.fastdowntime.model.RevisionInfo;
import org.fastdowntime.model.RevisionStatus;
import org.fastdowntime.model.TestPolicies;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The QA-ok merge's rules, without git or Temporal: the prefix, the budget, why each revision stays out. */
@Tag("unit")
class MergePlanTest {
    static final EnvironmentPolicy FAST = TestPolicies.production();
    static final MonthlyPolicy POLICY = new MonthlyPolicy(
            "production",
            Map.of("dba", List.of("stuart")),
            List.of("francis"),
            Duration.ofDays(7),
            Duration.ofDays(5),
            Duration.ofHours(4),
            Duration.ofMinutes(30),
            Duration.ofHours(48),
            Duration.ofMinutes(90),
            Duration.ofMinutes(10),
            Duration.ofMinutes(30),
            Duration.ofHours(24),
            Duration.ofHours(24),
            false,
            Duration.ofMinutes(1),
            FAST);

    final List<String> timeline = new ArrayList<>();
    final MergePlan plan = new MergePlan(() -> true, timeline::add);

    static RevisionInfo rev(String sha, String author, String... files) {
        return new RevisionInfo(sha, "subject of " + sha, author, List.of(files));
    }

    static PatchTiming took(String file, double seconds) {
        return new PatchTiming(
                PatchId.parse(file.replace("patch-", "").replace(".sql", "")), file, "x", seconds, false);
    }

    void qaOk(String revision, String by) {
        MonthlySignals.Revision s = new MonthlySignals.Revision(revision, by, null);
        assertNull(plan.qaOkProblem(s, POLICY, "WAITING_FOR_MERGE", false), "accepted");
        plan.qaOk(s);
    }

    @Test
    void theLongestQaOkPrefixMergesAndAMergeCannotSkipACommit() {
        List<RevisionInfo> pending = List.of(
                rev("aaaaaaa1111", "Carol <carol@example.com>", "database/schema/patch-2300-01-0.sql"),
                rev("bbbbbbb2222", "Dave <dave@example.com>"), // no patches: passes without a QA-ok
                rev("ccccccc3333", "Carol <carol@example.com>", "database/schema/patch-2300-02-0.sql"),
                rev("ddddddd4444", "Carol <carol@example.com>", "database/schema/patch-2300-03-0.sql"));
        qaOk("aaaaaaa", "alice");
        qaOk("ddddddd4444", "bob");
        MergePlan.Prefix prefix = plan.prefix(pending);
        assertEquals(
                List.of("aaaaaaa1111", "bbbbbbb2222"),
                prefix.revisions().stream().map(RevisionInfo::sha).toList());
        assertEquals("ccccccc3333", prefix.blocker());

        String merged = plan.plan(pending, prefix, List.of(took("patch-2300-01-0.sql", 30)), POLICY);
        assertEquals("bbbbbbb2222", merged);
        List<RevisionStatus> states = plan.revisions();
        assertEquals("no QA-ok", states.get(2).excludedBecause());
        assertTrue(
                states.get(3).excludedBecause().startsWith("after ccccccc3333, which has no QA-ok"),
                states.get(3).excludedBecause());
        assertEquals(30, plan.budget().stagingSeconds(), 1e-9);
        assertEquals(2 * 30 + 600, plan.budget().estimateSeconds(), 1e-9, "2 x staging + 10 min");
        assertTrue(
                timeline.get(timeline.size() - 1).startsWith("Merging 2 revision(s) up to bbbbbbb2222"),
                timeline.toString());
    }

    @Test
    void backingOutAMergedRevisionTakesItAndEverythingMergedAfterItOutOfThePlan() {
        List<RevisionInfo> pending = List.of(
                rev("aaaaaaa1111", "Carol", "s/patch-2300-01-0.sql"),
                rev("bbbbbbb2222", "Carol", "s/patch-2300-02-0.sql"),
                rev("ccccccc3333", "Carol", "s/patch-2300-03-0.sql"));
        pending.forEach(r -> qaOk(r.sha(), "alice"));
        plan.plan(
                pending,
                plan.prefix(pending),
                List.of(
                        took("patch-2300-01-0.sql", 10),
                        took("patch-2300-02-0.sql", 20),
                        took("patch-2300-03-0.sql", 40)),
                POLICY);
        assertEquals("ddddddd is not one of the merged revisions", plan.backOutProblem("ddddddd"));
        assertEquals("\"revision\" must be 7 to 40 hex digits", plan.backOutProblem("bbb"));
        assertNull(plan.backOutProblem("bbbbbbb"));
        assertEquals(List.of("ccccccc3333", "bbbbbbb2222"), plan.toRevert("bbbbbbb"), "newest first");

        plan.backOutMerged("bbbbbbb", "backed out by francis: wrong");
        assertEquals("aaaaaaa1111", plan.merged());
        assertEquals(10, plan.budget().stagingSeconds(), 1e-9, "the budget is made again");
        List<RevisionStatus> states = plan.revisions();
        assertTrue(states.get(0).merged());
        assertEquals("backed out by francis: wrong", states.get(1).excludedBecause());
        assertEquals("after bbbbbbb2222, which was backed out", states.get(2).excludedBecause());

        plan.backOutMerged("aaaaaaa", "backed out by francis: all of it");
        assertNull(plan.merged());
        assertEquals("The plan again: nothing is left to deploy.", timeline.get(timeline.size() - 1));
    }

    @Test
    void aRevisionBackedOutBeforeTheMergeStopsItThere() {
        List<RevisionInfo> pending = List.of(
                rev("aaaaaaa1111", "Carol", "s/patch-2300-01-0.sql"),
                rev("bbbbbbb2222", "Carol", "s/patch-2300-02-0.sql"),
                rev("ccccccc3333", "Carol", "s/patch-2300-03-0.sql"));
        pending.forEach(r -> qaOk(r.sha(), "alice"));
        plan.backOutBeforeMerge("bbbbbbb", "backed out by francis: slow");
        String merged = plan.plan(pending, plan.prefix(pending), List.of(), POLICY);
        assertEquals("aaaaaaa1111", merged);
        assertEquals("backed out by francis: slow", plan.revisions().get(1).excludedBecause());
        assertEquals(
                "after bbbbbbb2222, which was backed out (a merge cannot skip a commit)",
                plan.revisions().get(2).excludedBecause());
    }

    @Test
    void revisionsAreDroppedFromTheEndUntilTheEstimateFitsTheWindow() {
        List<RevisionInfo> pending = List.of(
                rev("aaaaaaa1111", "Carol <carol@example.com>", "s/patch-2300-01-0.sql"),
                rev("bbbbbbb2222", "Carol <carol@example.com>", "s/patch-2300-02-0.sql"));
        qaOk("aaaaaaa", "alice");
        qaOk("bbbbbbb", "alice");
        MergePlan.Prefix prefix = plan.prefix(pending);
        // Both: 2 x 2700 + 600 = 6000 s, over the 90 min (5400 s); the first alone: 2 x 1200 + 600 = 3000 s.
        String merged = plan.plan(
                pending, prefix, List.of(took("patch-2300-01-0.sql", 1200), took("patch-2300-02-0.sql", 1500)), POLICY);
        assertEquals("aaaaaaa1111", merged);
        assertEquals(List.of("bbbbbbb2222"), plan.budget().dropped());
        assertTrue(plan.revisions().get(1).excludedBecause().startsWith("over budget: 2 x staging + 10 min"));
    }

    @Test
    void anAuthorsOwnQaOkDoesNotCountAndIsSaidOnce() {
        List<RevisionInfo> pending = List.of(rev("aaaaaaa1111", "Alice <alice@example.com>", "s/patch-2300-01-0.sql"));
        qaOk("aaaaaaa", "alice");
        MergePlan.Prefix prefix = plan.prefix(pending);
        assertTrue(prefix.revisions().isEmpty());
        assertNull(plan.plan(pending, prefix, List.of(), POLICY), "nothing to merge");
        assertEquals(
                1,
                timeline.stream()
                        .filter(t -> t.contains("their QA-ok does not count"))
                        .count(),
                timeline.toString());
    }

    @Test
    void qaOksAreRefusedWithTheReason() {
        assertEquals(
                "the revision must be at least 7 hex digits",
                plan.qaOkProblem(
                        new MonthlySignals.Revision("abc", "alice", null), POLICY, "WAITING_FOR_MERGE", false));
        assertEquals(
                "mallory is not a configured approver",
                plan.qaOkProblem(
                        new MonthlySignals.Revision("abcdef12", "mallory", null), POLICY, "WAITING_FOR_MERGE", false));
    }
}
