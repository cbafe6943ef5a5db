package org.fastdowntime.fleet;

import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.fastdowntime.downtime.ActivityStubs;
import org.fastdowntime.downtime.Journal;
import org.fastdowntime.downtime.WindowFailures;
import org.fastdowntime.downtime.WindowOutcome;
import org.fastdowntime.fast.WindowRequest;
import org.fastdowntime.model.AbortSignal;
import org.fastdowntime.model.EnvironmentPolicy;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.FastDowntimeRequest;
import org.fastdowntime.model.FleetDowntimeRequest;
import org.fastdowntime.model.FleetMode;
import org.fastdowntime.model.FleetPlan;
import org.fastdowntime.model.FleetResult;
import org.fastdowntime.model.FleetStage;
import org.fastdowntime.model.FleetStatus;
import org.fastdowntime.model.Lenient;
import org.fastdowntime.model.MemberOutcome.MemberState;
import org.fastdowntime.model.Outcome;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.SealedBundle;
import org.fastdowntime.ports.DatabaseActivities;
import org.fastdowntime.ports.WindowActivities;
import org.fastdowntime.time.Clock;
import org.slf4j.Logger;

/**
 * The Temporal shell of a fleet window: one QA, one seal, one quiesce, every member's preflight, then the members'
 * outages ({@link FleetOutages}: waves, or atomic with its recorded decision), one announcement. The member table
 * lives in {@link FleetMembers}; a member's outage is a child workflow ({@link FleetMemberWorkflow}).
 */
public class FleetDowntimeWorkflowImpl implements FleetDowntimeWorkflow {
    private static final Logger log = Workflow.getLogger(FleetDowntimeWorkflowImpl.class);

    private final DatabaseActivities db = ActivityStubs.database();
    private final DatabaseActivities longDb = ActivityStubs.longDatabase();
    private final WindowActivities window = ActivityStubs.window();
    private final Journal<FleetStage> journal =
            new Journal<>(FleetStage.STARTING, FleetStage.PREFLIGHT, FleetStage.OUTAGES, log);
    private final FleetMembers members = new FleetMembers();
    private final FleetQa qaGate = new FleetQa();
    private final String fleet;
    private final String workflowId;
    /** One window per member at a time: this window's hold on each member. */
    private final FleetClaims claims;

    private FleetPlan plan;
    private EnvironmentPolicy policy;
    private Instant windowStart;
    private Instant qaDeadline;
    private FleetOutages outages;
    private AbortSignal aborted;
    private String failureType;
    private String message;
    private boolean quiesced;

    @WorkflowInit
    public FleetDowntimeWorkflowImpl(FleetDowntimeRequest request) {
        this.fleet = request == null ? null : Lenient.shown(request.fleet());
        this.workflowId = Workflow.getInfo().getWorkflowId();
        this.claims = new FleetClaims(db, workflowId);
    }

    @Override
    public FleetResult run(FleetDowntimeRequest request) {
        WindowOutcome outcome = WindowOutcome.begin(fleet, TYPE);
        try {
            FleetResult r = window(request);
            if (r.stage() == FleetStage.PARTIAL) {
                outcome.endedAs(FleetStage.PARTIAL.name(), Outcome.COMPLETED);
            } else {
                int applied = members.in(MemberState.COMMITTED).size();
                outcome.ended(r.stage() == FleetStage.SKIPPED ? Outcome.SKIPPED : Outcome.COMPLETED, applied, 0);
            }
            announce("fleet-" + r.stage().name().toLowerCase(java.util.Locale.ROOT), r.message());
            return r;
        } catch (ApplicationFailure e) {
            failureType = e.getType();
            message = e.getOriginalMessage();
            if (!journal.ended()) {
                journal.end(aborted != null ? FleetStage.ABORTED : FleetStage.FAILED, message);
            }
            outcome.failed(e);
            announce("fleet-failed", "Fleet window of " + fleet + " failed: " + message);
            throw e;
        } catch (CanceledFailure e) {
            outcome.cancelled(() -> {
                if (outages != null) {
                    outages.rollBackPrepared();
                }
                journal.end(
                        FleetStage.CANCELLED,
                        "The fleet window was cancelled; no member that had not committed changed.");
            });
            throw e;
        } finally {
            Workflow.newDetachedCancellationScope(this::cleanUp).run();
        }
    }

    /** The input checked, the fleet surveyed, its policy loaded and every member claimed. */
    private void begin(FleetDowntimeRequest request, Instant started) {
        String bad = request == null ? "the input needs a \"fleet\", e.g. {\"fleet\":\"shards\"}" : request.invalid();
        if (bad != null) {
            throw WindowFailures.fail(FailureType.BAD_INPUT, "bad input: " + bad);
        }
        WindowRequest checked =
                WindowRequest.check(new FastDowntimeRequest(fleet, request.windowStart(), List.of()), fleet, started);
        if (checked.windowProblem() != null) {
            throw WindowFailures.fail(FailureType.BAD_INPUT, checked.windowProblem());
        }
        windowStart = checked.windowStart();
        plan = early(() -> ActivityStubs.fleet().survey(fleet));
        FleetMode mode =
                request.mode() == null || request.mode().isBlank() ? plan.mode() : FleetMode.parse(request.mode());
        plan = plan.runAs(mode, request.parallelism() == null ? plan.parallelism() : request.parallelism());
        policy = early(() -> db.loadPolicy(plan.environment()));
        members.init(plan.members());
        journal.event(
                FleetStage.STARTING,
                String.format(
                        "Fleet window of %s: %d member(s), %s, parallelism %d, canary %s, failure policy %s;"
                                + " settings, QA and staging of %s; at %s.",
                        fleet,
                        plan.members().size(),
                        plan.mode().name().toLowerCase(java.util.Locale.ROOT),
                        plan.parallelism(),
                        plan.members().stream()
                                .filter(FleetPlan.Member::canary)
                                .map(FleetPlan.Member::name)
                                .toList(),
                        plan.failurePolicy().name().toLowerCase(java.util.Locale.ROOT),
                        plan.environment(),
                        windowStart == null ? "the end of QA" : windowStart));
        if (windowStart != null) {
            Journal.window(windowStart);
        }
        claims.claimAll(plan);
    }

    private FleetResult window(FleetDowntimeRequest request) {
        Instant started = Clock.now();
        begin(request, started);
        if (plan.candidates().isEmpty()) {
            return skip("Nothing to deploy: no member has a pending cold patch.");
        }
        qaDeadline = WindowRequest.qaDeadline(windowStart, started, policy.qaLead());
        journal.stage(FleetStage.AWAITING_QA);
        FleetQa.Reading qa = early(() -> qaGate.await(
                plan.environment(), policy, plan.candidates(), qaDeadline, journal, () -> aborted != null));
        if (aborted != null) {
            throw abortedBeforeOutage();
        }
        if (qa.approved().isEmpty()) {
            return skip("Window skipped: no patch was approved by the QA deadline.");
        }
        SealedBundle bundle = seal(qa.approved());
        if (bundle.nothingToApply()) {
            return skip("Nothing left to apply: the rehearsal deferred every approved patch.");
        }
        if (windowStart == null) {
            windowStart = Clock.now();
            Journal.window(windowStart);
        }
        journal.stage(FleetStage.WAITING_FOR_WINDOW);
        announce(
                "fleet-scheduled",
                "Fleet window of " + fleet + " at " + windowStart + ": "
                        + plan.members().size() + " member(s), patches " + PatchId.join(bundle.ids()) + ".");
        sleepUntil(windowStart.minus(policy.quiesceLead()));
        journal.hooks("Quiesce", () -> window.quiesce(plan.environment()));
        quiesced = true;
        sleepUntil(windowStart.minus(policy.preflightLead()));
        outages = new FleetOutages(
                journal,
                members,
                plan,
                policy,
                new MemberOutages(workflowId, members, policy, bundle, qa.approved()),
                () -> aborted != null);
        List<FleetPlan.Member> toRun = outages.preflight(bundle);
        sleepUntil(windowStart);
        return outages.run(toRun);
    }

    /** The approved patches sealed and rehearsed once, on the fleet environment's staging (or a copy). */
    private SealedBundle seal(List<PatchCandidate> approved) {
        journal.stage(FleetStage.SEALING);
        journal.event(FleetStage.SEALING, "Sealing the approved patches; rehearsing them once for the fleet.");
        SealedBundle bundle = early(() -> longDb.sealBundle(plan.environment(), approved, true));
        bundle.deferred().forEach(d -> journal.note("Deferred " + d.id() + ": " + d.reason()));
        journal.note("Sealed bundle " + bundle.shortSha() + ": " + PatchId.join(bundle.ids()) + "; "
                + bundle.rehearsal() + ".");
        return bundle;
    }

    private void cleanUp() {
        if (quiesced) {
            quiesced = false;
            FleetServices.resume(window, journal, plan.environment());
        }
        claims.releaseAll();
    }

    private void sleepUntil(Instant at) {
        Duration d = Duration.between(Clock.now(), at);
        if (!d.isNegative() && !d.isZero()) {
            Workflow.await(d, () -> aborted != null);
        }
        if (aborted != null) {
            throw abortedBeforeOutage();
        }
    }

    private FleetResult skip(String why) {
        journal.end(FleetStage.SKIPPED, why);
        return new FleetResult(fleet, FleetStage.SKIPPED, why, members.all(), 0);
    }

    private ApplicationFailure abortedBeforeOutage() {
        String why = "Aborted by " + aborted.by() + (aborted.reason() == null ? "" : " (" + aborted.reason() + ")")
                + " before any gate closed; nothing was changed.";
        journal.end(FleetStage.ABORTED, why);
        return WindowFailures.fail(FailureType.ABORTED, why);
    }

    private void announce(String event, String text) {
        if (plan != null) {
            FleetServices.announce(window, journal, plan.environment(), workflowId, event, text);
        }
    }

    private <T> T early(java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (ApplicationFailure e) {
            throw e;
        } catch (RuntimeException e) {
            WindowFailures.Reason r = WindowFailures.of(e);
            throw WindowFailures.fail(FailureType.named(r.type()), r.message());
        }
    }

    @Override
    public FleetStatus status() {
        return new FleetStatus(
                fleet,
                plan == null ? null : plan.environment(),
                plan == null ? null : plan.mode(),
                journal.stage(),
                windowStart,
                qaDeadline,
                qaGate.last() == null ? List.of() : qaGate.last().approvedIds(),
                qaGate.last() == null ? List.of() : qaGate.last().waiting(),
                outages == null ? null : outages.decision(),
                members.all(),
                members.longestOutage(),
                journal.timeline(),
                failureType,
                message);
    }

    @Override
    public void abort(AbortSignal signal) {
        if (aborted == null && (policy == null || policy.canAbort(signal.by()))) {
            aborted = signal;
            journal.note("Abort by " + signal.by() + (signal.reason() == null ? "" : ": " + signal.reason()) + ".");
        } else if (aborted == null) {
            journal.note("Abort by " + signal.by() + " refused: only the fleet's approvers may abort it.");
        }
    }

    @Override
    public void ledgerChanged() {
        qaGate.changed();
    }
}
