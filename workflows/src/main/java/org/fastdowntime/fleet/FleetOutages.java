package org.fastdowntime.fleet;

import io.temporal.workflow.Async;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.fastdowntime.downtime.ActivityStubs;
import org.fastdowntime.downtime.Journal;
import org.fastdowntime.downtime.WindowFailures;
import org.fastdowntime.model.EnvironmentPolicy;
import org.fastdowntime.model.EventCode;
import org.fastdowntime.model.FailurePolicy;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.FleetMode;
import org.fastdowntime.model.FleetPlan;
import org.fastdowntime.model.FleetPlan.Member;
import org.fastdowntime.model.FleetResult;
import org.fastdowntime.model.FleetStage;
import org.fastdowntime.model.MemberOutcome;
import org.fastdowntime.model.MemberOutcome.MemberState;
import org.fastdowntime.model.SealedBundle;
import org.fastdowntime.ports.FleetActivities;
import org.fastdowntime.ports.OutageActivities;
import org.fastdowntime.time.Clock;

/**
 * The fleet's preflight and outages. Waves: the canary alone, then waves of {@code parallelism}, each member
 * committing on its own; a failure stops the waves not started (failure policy {@code stop}). Atomic: every member
 * prepares in waves, its gate held closed; when all prepared within the outage budget the decision is COMMIT, else
 * ROLLBACK; the decision is recorded on the timeline before it is carried out, and carried out on every prepared
 * member in a detached scope, so neither an abort nor a cancellation nor a worker's death leaves a member undecided.
 * Workflow code.
 */
final class FleetOutages {
    /** Members whose decision is carried out at once, at least. */
    private static final int FINISH_AT_ONCE = 25;

    private final Journal<FleetStage> journal;
    private final FleetMembers table;
    private final FleetPlan plan;
    private final EnvironmentPolicy policy;
    private final MemberOutages outages;
    private final BooleanSupplier aborted;
    private String decision;

    FleetOutages(
            Journal<FleetStage> journal,
            FleetMembers table,
            FleetPlan plan,
            EnvironmentPolicy policy,
            MemberOutages outages,
            BooleanSupplier aborted) {
        this.journal = journal;
        this.table = table;
        this.plan = plan;
        this.policy = policy;
        this.outages = outages;
        this.aborted = aborted;
    }

    String decision() {
        return decision;
    }

    private boolean atomic() {
        return plan.mode() == FleetMode.ATOMIC;
    }

    /**
     * Every member with something of the bundle pending is preflighted (the others have nothing to apply); returns
     * those that passed. Atomic, one failure fails the window before any gate closes; waves with failure policy
     * stop too; with continue, the others go on.
     */
    List<Member> preflight(SealedBundle bundle) {
        journal.stage(FleetStage.PREFLIGHT);
        journal.event(FleetStage.PREFLIGHT, "Preflight of every member with something to apply.");
        List<Member> toRun = new ArrayList<>();
        for (Member m : plan.members()) {
            if (m.pending().stream().anyMatch(bundle.ids()::contains)) {
                toRun.add(m);
            } else {
                table.set(m.name(), MemberState.NOTHING_TO_APPLY);
            }
        }
        FleetActivities fleet = ActivityStubs.fleet();
        List<MemberOutcome> checked = Fanout.each(
                toRun,
                plan.parallelism(),
                m -> Async.function(fleet::preflightMember, m.environment(), atomic())
                        .thenApply(r -> MemberOutcome.of(m.name(), MemberState.PREFLIGHT_OK)),
                (m, e) -> {
                    WindowFailures.Reason why = WindowFailures.of(e);
                    return MemberOutcome.of(m.name(), MemberState.FAILED).failed(why.type(), why.message());
                });
        checked.forEach(table::set);
        List<Member> passed = toRun.stream()
                .filter(m -> table.get(m.name()).state() == MemberState.PREFLIGHT_OK)
                .toList();
        journal.note("Preflight passed on " + passed.size() + " of " + toRun.size() + " member(s) with patches to"
                + " apply" + (passed.size() == toRun.size() ? "." : "; failed: " + table.failures(5) + "."));
        if (passed.size() < toRun.size() && (atomic() || plan.failurePolicy() == FailurePolicy.STOP)) {
            passed.forEach(m -> table.set(m.name(), MemberState.NOT_STARTED));
            throw WindowFailures.fail(
                    FailureType.PREFLIGHT_FAILED,
                    "preflight failed on " + table.failures(5) + "; no gate closed, no member changed");
        }
        return passed;
    }

    FleetResult run(List<Member> toRun) {
        journal.stage(FleetStage.OUTAGES);
        journal.event(
                FleetStage.OUTAGES,
                "Outages of " + toRun.size() + " member(s), " + plan.parallelism() + " at a time"
                        + (atomic() ? ", each preparing its transaction with its gate held closed." : "."));
        return atomic() ? atomic(toRun) : waves(toRun);
    }

    private FleetResult waves(List<Member> toRun) {
        List<List<Member>> waves = Waves.of(toRun, plan.parallelism(), true);
        boolean stop = false;
        for (int i = 0; i < waves.size(); i++) {
            List<Member> wave = waves.get(i);
            if (stop || aborted.getAsBoolean()) {
                wave.forEach(m -> table.set(m.name(), MemberState.NOT_STARTED));
                continue;
            }
            List<MemberOutcome> out = outages.run(wave, false, null, aborted);
            long failed =
                    out.stream().filter(o -> o.state() == MemberState.FAILED).count();
            journal.note(String.format(
                    "Wave %d of %d (%s): %d committed, %d failed.",
                    i + 1,
                    waves.size(),
                    wave.size() == 1 ? wave.get(0).name() : wave.size() + " members",
                    out.stream().filter(o -> o.state() == MemberState.COMMITTED).count(),
                    failed));
            if (failed > 0 && plan.failurePolicy() == FailurePolicy.STOP) {
                stop = true;
            }
        }
        return ending();
    }

    /** DONE when no member failed; PARTIAL when some committed; the window fails when none did. */
    private FleetResult ending() {
        List<MemberOutcome> committed = table.in(MemberState.COMMITTED);
        List<MemberOutcome> unchanged = table.in(MemberState.FAILED, MemberState.NOT_STARTED);
        if (unchanged.isEmpty()) {
            String why = "Done: " + committed.size() + " member(s) committed, longest outage " + table.longestOutage()
                    + " ms.";
            journal.end(FleetStage.DONE, why);
            return new FleetResult(plan.fleet(), FleetStage.DONE, why, table.all(), table.longestOutage());
        }
        String failures = table.failures(10);
        int notStarted = table.in(MemberState.NOT_STARTED).size();
        String tail = (failures.isEmpty() ? "" : "; failed: " + failures)
                + (notStarted == 0 ? "" : "; not started: " + notStarted);
        if (committed.isEmpty()) {
            FailureType type =
                    aborted.getAsBoolean() ? FailureType.ABORTED : FailureType.named(table.firstFailureType());
            throw WindowFailures.fail(type, "no member committed" + tail);
        }
        String why = "Partial: " + committed.size() + " member(s) committed ("
                + String.join(
                        ", ", FleetMembers.names(committed).stream().limit(10).toList())
                + (committed.size() > 10 ? ", …" : "") + ")" + tail + ".";
        journal.end(FleetStage.PARTIAL, why);
        return new FleetResult(plan.fleet(), FleetStage.PARTIAL, why, table.all(), table.longestOutage());
    }

    private FleetResult atomic(List<Member> toRun) {
        Instant deadline = Clock.now().plus(policy.outageBudget());
        boolean ok = true;
        for (List<Member> wave : Waves.of(toRun, plan.parallelism(), false)) {
            if (!ok || aborted.getAsBoolean() || !Clock.now().isBefore(deadline)) {
                wave.forEach(m -> table.set(m.name(), MemberState.NOT_STARTED));
                ok = false;
                continue;
            }
            ok = outages.run(wave, true, deadline, aborted).stream()
                    .allMatch(o -> o.state() == MemberState.PREPARED || o.state() == MemberState.NOTHING_TO_APPLY);
        }
        boolean commit = ok && !aborted.getAsBoolean();
        String why = commit
                ? "every member prepared (" + table.in(MemberState.PREPARED).size() + ")"
                : aborted.getAsBoolean()
                        ? "the window was aborted"
                        : table.in(MemberState.FAILED).isEmpty()
                                ? "not every member prepared within the outage budget (" + policy.outageBudget() + ")"
                                : "failed: " + table.failures(5);
        decide(commit, why);
        if (commit && !table.in(MemberState.FAILED).isEmpty()) {
            // A prepared transaction someone ended by hand: the decision held everywhere else.
            throw WindowFailures.fail(
                    FailureType.PREPARED_LOST,
                    "decided COMMIT and committed on "
                            + table.in(MemberState.COMMITTED).size() + " member(s), but: " + table.failures(5));
        }
        if (commit) {
            String done = "Done: committed on every member ("
                    + table.in(MemberState.COMMITTED).size() + "); the fleet's outage, its longest member's, "
                    + table.longestOutage() + " ms.";
            journal.end(FleetStage.DONE, done);
            return new FleetResult(plan.fleet(), FleetStage.DONE, done, table.all(), table.longestOutage());
        }
        FailureType type = aborted.getAsBoolean()
                ? FailureType.ABORTED
                : table.in(MemberState.FAILED).isEmpty()
                        ? FailureType.OFF_TRACK
                        : FailureType.named(table.firstFailureType());
        throw WindowFailures.fail(type, "rolled back on every member: " + why + "; no member changed");
    }

    /** The decision, recorded, then carried out on every prepared member whatever happens to this scope. */
    private void decide(boolean commit, String why) {
        decision = (commit ? "COMMIT" : "ROLLBACK") + ": " + why;
        journal.stage(FleetStage.DECIDING);
        journal.event(FleetStage.DECIDING, EventCode.DECISION, "Decision: " + decision + ".");
        Workflow.newDetachedCancellationScope(() -> finish(commit)).run();
    }

    /** Cancelled before a decision: every prepared member rolls back. */
    void rollBackPrepared() {
        if (decision == null && !table.in(MemberState.PREPARED).isEmpty()) {
            decide(false, "the window was cancelled");
        }
    }

    private String environment(String member) {
        return plan.members().stream()
                .filter(m -> m.name().equals(member))
                .map(Member::environment)
                .findFirst()
                .orElseThrow();
    }

    private void finish(boolean commit) {
        OutageActivities finish = ActivityStubs.finishPrepared();
        List<MemberOutcome> prepared = table.in(MemberState.PREPARED);
        // Every prepared member's gate is closed until this is done, the first prepared the longest: they are
        // finished in that order, many at a time (each is a few short statements).
        Fanout.each(
                prepared,
                Math.max(plan.parallelism(), FINISH_AT_ONCE),
                o -> Async.function(
                                finish::finishPrepared,
                                environment(o.member()),
                                outages.deploymentId(o.member()),
                                commit)
                        .thenApply(end -> {
                            MemberOutcome done = o.openedAt(
                                    commit ? MemberState.COMMITTED : MemberState.ROLLED_BACK, end.gateOpenedAt());
                            table.set(done);
                            return done;
                        }),
                (o, e) -> {
                    WindowFailures.Reason r = WindowFailures.of(e);
                    MemberOutcome failed = o.failed(r.type(), r.message());
                    table.set(failed);
                    return failed;
                });
    }
}
