package org.fastdowntime.fast;

import static org.fastdowntime.model.FastStage.APPLYING_LIVE;
import static org.fastdowntime.model.FastStage.STARTING;

import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.fastdowntime.downtime.ActivityStubs;
import org.fastdowntime.downtime.AfterCommit;
import org.fastdowntime.downtime.Change;
import org.fastdowntime.downtime.Ending;
import org.fastdowntime.downtime.EnvironmentClaim;
import org.fastdowntime.downtime.Journal;
import org.fastdowntime.downtime.LivePatches;
import org.fastdowntime.downtime.Seal;
import org.fastdowntime.downtime.Verdicts;
import org.fastdowntime.downtime.WindowFailures;
import org.fastdowntime.downtime.WindowMetrics;
import org.fastdowntime.downtime.WindowOutcome;
import org.fastdowntime.model.AbortSignal;
import org.fastdowntime.model.AppliedPatch;
import org.fastdowntime.model.ApprovalAnswer;
import org.fastdowntime.model.EnvironmentPolicy;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.FastDowntimeRequest;
import org.fastdowntime.model.FastDowntimeResult;
import org.fastdowntime.model.FastDowntimeStatus;
import org.fastdowntime.model.FastStage;
import org.fastdowntime.model.Lenient;
import org.fastdowntime.model.OutageReport;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.QaSignal;
import org.fastdowntime.model.QaWord;
import org.fastdowntime.model.ResolvedPatches;
import org.fastdowntime.model.SealedBundle;
import org.fastdowntime.ports.DatabaseActivities;
import org.fastdowntime.ports.WindowActivities;
import org.fastdowntime.time.Clock;
import org.slf4j.Logger;

/**
 * The Temporal shell of a fast window: signals, the query, timers and activity calls, in order.
 * What it knows lives in {@link QaGate} (candidates and verdicts), {@link WindowRequest} (the
 * checked input), {@link Journal} (stage and timeline), {@link StagingTiming}, {@link WindowSeal}, {@link AfterQa}
 * (the outage and after) and {@link WindowEnd} (how it ended short of an outage).
 */
public class FastDowntimeWorkflowImpl implements FastDowntimeWorkflow {
    private static final Logger log = Workflow.getLogger(FastDowntimeWorkflowImpl.class);

    private final DatabaseActivities db = ActivityStubs.database();
    private final DatabaseActivities longDb = ActivityStubs.longDatabase();
    private final WindowActivities window = ActivityStubs.window();

    private final Journal<FastStage> journal = new Journal<>(STARTING, FastStage.PREFLIGHT, FastStage.OUTAGE, log);
    private final Verdicts verdicts = new Verdicts(Clock::now, journal::note, log);
    // Change "qabad-reason": a qaBad must say why. Change "qa-lists": a signal may name several patches.
    private final QaGate qa = new QaGate(verdicts, journal::stage, QaRules.current());
    private final ApprovalUpdate approvals = new ApprovalUpdate(qa, verdicts);
    private final LedgerLink ledger;
    private final Ending ending = new Ending();
    private final String environment;
    private final String workflowId;
    private final WindowAnnouncements announce;
    private final WindowEnd end;
    private final BeforeTheWindow before;
    /** One window per environment at a time: this window's hold on its environment. */
    private final EnvironmentClaim claim;

    private EnvironmentPolicy policy;
    private Instant windowStart;
    private Instant qaDeadline;
    private OutageReport outage;
    private AfterCommit afterCommit;
    private SealedBundle bundle;
    private WindowOutcome outcome;

    @WorkflowInit
    public FastDowntimeWorkflowImpl(FastDowntimeRequest request) {
        this.environment = request == null ? null : Lenient.shown(request.environment());
        this.workflowId = Workflow.getInfo().getWorkflowId();
        this.announce = new WindowAnnouncements(window, journal, environment, workflowId);
        this.end = new WindowEnd(journal, ending, qa, announce, window, environment);
        this.ledger = new LedgerLink(qa, verdicts, journal, environment, workflowId);
        this.before = new BeforeTheWindow(journal, qa, ledger, end, announce, window, environment);
        this.claim = new EnvironmentClaim(db, environment, workflowId);
    }

    @Override
    public FastDowntimeResult run(FastDowntimeRequest request) {
        outcome = WindowOutcome.begin(environment, FastDowntimeWorkflow.TYPE);
        try {
            FastDowntimeResult r = window(request);
            outcome.ended(r.outcome(), r.applied().size(), r.deferred().size());
            return r;
        } catch (ApplicationFailure e) {
            outcome.failed(e);
            throw e;
        } catch (CanceledFailure e) {
            outcome.cancelled(end::cancelled);
            throw e;
        } finally {
            announce.settle();
            claim.release();
        }
    }

    private WindowMetrics metrics() {
        return outcome.metrics();
    }

    private FastDowntimeResult window(FastDowntimeRequest request) {
        Instant started = Clock.now();
        List<PatchId> requested = validate(request, started);
        journal.event(
                STARTING,
                String.format(
                        "Window requested for %s at %s.",
                        environment, windowStart == null ? "the end of QA" : windowStart));
        ResolvedPatches resolved = early(() -> {
            policy = db.loadPolicy(environment);
            // Change "one-window": a window claims its environment first; one already running refuses it.
            claim.claim(Change.ONE_WINDOW);
            return db.resolvePatches(environment, requested);
        });
        // Change "live-qa": LIVE patches are candidates like cold ones, applied only once QA approved them.
        boolean liveQa = Change.LIVE_QA.isOn();
        if (!liveQa) {
            applyLivePatches(resolved.live());
        }
        qa.candidates(
                liveQa
                        ? Stream.concat(resolved.cold().stream(), resolved.live().stream())
                                .toList()
                        : resolved.cold());
        if (qa.noCandidates()) {
            qa.open(policy);
            return end.skip(
                    liveQa ? "Nothing to deploy: no pending patch." : "Nothing to deploy: no pending cold patch.",
                    List.of());
        }
        StagingTiming.time(journal, qa, policy, () -> early(() -> longDb.timeOnStaging(environment, qa.coldIds())));
        qa.open(policy);
        qaDeadline = WindowRequest.qaDeadline(windowStart, started, policy.qaLead());
        return afterQa(before.awaitQa(qaDeadline, windowStart, policy, metrics()), liveQa);
    }

    /** QA is closed: LIVE patches applied, the cold ones sealed, then the outage at the window's start. */
    private FastDowntimeResult afterQa(QaGate.Decision decision, boolean liveQa) {
        List<PatchId> appliedLive = liveQa ? applyLivePatches(decision.live()) : List.of();
        qa.applied(appliedLive);
        List<PatchCandidate> cold = liveQa ? decision.cold() : decision.approved();
        if (cold.isEmpty()) {
            return appliedLive.isEmpty()
                    ? end.skip("Window skipped: no patch was approved by the QA deadline.", decision.deferred())
                    : end.skip(
                            "No outage needed: no cold patch was approved; applied live " + ids(appliedLive) + ".",
                            appliedLive,
                            decision.deferred());
        }
        List<PatchId> deferred = decision.deferred();
        if (Seal.applies()) {
            WindowSeal.Sealed sealed =
                    new WindowSeal(journal, ending, announce, qa).seal(longDb, environment, cold, deferred);
            bundle = sealed.bundle();
            cold = sealed.cold();
            deferred = sealed.deferred();
            if (sealed.noOutage() != null) {
                return appliedLive.isEmpty()
                        ? end.skip(sealed.noOutage(), deferred)
                        : end.skip(
                                sealed.noOutage() + " Applied live " + ids(appliedLive) + ".", appliedLive, deferred);
            }
        }
        windowStart = before.startAfterQa(windowStart, policy);
        Journal.window(windowStart);
        boolean armed = before.quiesce(decision, windowStart, policy);
        AfterQa after = new AfterQa(journal, window, announce, ending, qa, metrics(), environment, workflowId);
        try {
            outage = after.outage(policy, cold, bundle, windowStart, armed);
        } catch (ApplicationFailure e) {
            outage = after.failedOutage(); // what the outage did before it failed, for the status
            throw e;
        }
        journal.labelNotes(FastStage.POST_CHECKS);
        afterCommit = AfterCommit.check(longDb, db, environment, outage, journal);
        if (afterCommit != null) {
            outage = afterCommit.outage();
        }
        return after.finish(outage, appliedLive, deferred, afterCommit);
    }

    private List<PatchId> validate(FastDowntimeRequest request, Instant now) {
        WindowRequest checked = WindowRequest.check(request, environment, now);
        if (checked.windowProblem() != null) {
            throw end.failEarly(FailureType.BAD_INPUT.name(), checked.windowProblem());
        }
        windowStart = checked.windowStart();
        if (windowStart != null) {
            Journal.window(windowStart);
        }
        if (checked.patchesProblem() != null) {
            throw end.failEarly(FailureType.BAD_INPUT.name(), checked.patchesProblem());
        }
        return checked.patches();
    }

    /** A step before the candidates are judged: a failure ends the window at once, said once. */
    private <T> T early(java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            WindowFailures.Reason r = WindowFailures.of(e);
            throw end.failEarly(r.type(), r.message());
        }
    }

    /** Applies LIVE patches outside any outage; returns those applied (one that fails stays pending). */
    private List<PatchId> applyLivePatches(List<PatchCandidate> live) {
        if (live.isEmpty()) {
            return List.of();
        }
        journal.stage(APPLYING_LIVE);
        DatabaseActivities db = Change.LIVE_HEARTBEAT.isOn() ? ActivityStubs.livePatch(policy) : longDb;
        return LivePatches.apply(db, environment, workflowId, live, journal::note).stream()
                .map(AppliedPatch::id)
                .toList();
    }

    // ---- signals, the update and the query ---------------------------------------------------------

    @Override
    public void qaOk(QaSignal s) {
        qa.receive(QaWord.QA_OK, s);
    }

    @Override
    public ApprovalAnswer approve(QaSignal s) {
        return approvals.approve(s);
    }

    @Override
    public void validateApprove(QaSignal s) {
        approvals.validate(s);
    }

    @Override
    public void qaBad(QaSignal s) {
        qa.receive(QaWord.QA_BAD, s);
    }

    @Override
    public void signOff(QaSignal s) {
        qa.receive(QaWord.SIGN_OFF, s);
    }

    @Override
    public void abort(AbortSignal s) {
        qa.receiveAbort(s);
    }

    @Override
    public void ledgerChanged() {
        ledger.changed();
    }

    @Override
    public FastDowntimeStatus status() {
        return new FastDowntimeStatus(
                environment,
                journal.stage(),
                windowStart,
                qaDeadline,
                qa.view(),
                verdicts.all(),
                journal.timeline(),
                outage,
                ending.failureType(),
                ending.message(),
                Stream.concat(
                                before.shortLeads().stream(),
                                afterCommit == null ? Stream.empty() : afterCommit.warnings().stream())
                        .toList(),
                afterCommit == null ? null : afterCommit.preflight(),
                bundle);
    }

    private static String ids(Collection<PatchId> ids) {
        return PatchId.join(ids);
    }
}
