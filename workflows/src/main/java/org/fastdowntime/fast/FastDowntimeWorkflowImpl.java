package org.fastdowntime.fast;

import static org.fastdowntime.model.FastStage.ABORTED;
import static org.fastdowntime.model.FastStage.APPLYING_LIVE;
import static org.fastdowntime.model.FastStage.AWAITING_QA;
import static org.fastdowntime.model.FastStage.FAILED;
import static org.fastdowntime.model.FastStage.QUIESCED;
import static org.fastdowntime.model.FastStage.SKIPPED;
import static org.fastdowntime.model.FastStage.STARTING;
import static org.fastdowntime.model.FastStage.TIMING;
import static org.fastdowntime.model.FastStage.WAITING_FOR_WINDOW;

import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
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
import org.fastdowntime.model.PatchTiming;
import org.fastdowntime.model.QaSignal;
import org.fastdowntime.model.QaWord;
import org.fastdowntime.model.ResolvedPatches;
import org.fastdowntime.model.SealedBundle;
import org.fastdowntime.model.SignalRecord;
import org.fastdowntime.ports.DatabaseActivities;
import org.fastdowntime.ports.WindowActivities;
import org.fastdowntime.time.Clock;
import org.fastdowntime.time.Durations;
import org.slf4j.Logger;

/**
 * The Temporal shell of a fast window: signals, the query, timers and activity calls, in order.
 * What it knows lives in {@link QaGate} (candidates and verdicts), {@link WindowRequest} (the
 * checked input), {@link Journal} (stage and timeline) and {@link Ending} (how it ended).
 */
public class FastDowntimeWorkflowImpl implements FastDowntimeWorkflow {
    private static final Logger log = Workflow.getLogger(FastDowntimeWorkflowImpl.class);

    private final DatabaseActivities db = ActivityStubs.database();
    private final DatabaseActivities longDb = ActivityStubs.longDatabase();
    private final WindowActivities window = ActivityStubs.window();

    private final Journal<FastStage> journal = new Journal<>(STARTING, log);
    private final Verdicts verdicts = new Verdicts(Clock::now, journal::note, log);
    // Version 1 ("qabad-reason"): a qaBad must say why. Version 1 ("qa-lists"): a signal may name several patches.
    private final QaGate qa =
            new QaGate(verdicts, journal::stage, () -> Change.QABAD_REASON.isOn(), () -> Change.QA_LISTS.isOn());
    private final Ending ending = new Ending();
    private final String environment;
    private final String workflowId;
    private final WindowAnnouncements announce;
    /** One window per environment at a time: this window's hold on its environment. */
    private final EnvironmentClaim claim;

    private EnvironmentPolicy policy;
    private Instant windowStart;
    private Instant qaDeadline;
    private OutageReport outage;
    private AfterCommit afterCommit;
    private boolean quiesced;
    private SealedBundle bundle;

    @WorkflowInit
    public FastDowntimeWorkflowImpl(FastDowntimeRequest request) {
        this.environment = request == null ? null : Lenient.shown(request.environment());
        this.workflowId = Workflow.getInfo().getWorkflowId();
        this.announce = new WindowAnnouncements(window, journal, environment, workflowId);
        this.claim = new EnvironmentClaim(db, environment, workflowId);
    }

    @Override
    public FastDowntimeResult run(FastDowntimeRequest request) {
        try {
            FastDowntimeResult r = window(request);
            metrics().ended(r.outcome());
            return r;
        } catch (ApplicationFailure e) {
            metrics().failed(e);
            throw e;
        } catch (CanceledFailure e) {
            Workflow.newDetachedCancellationScope(this::cancelled).run();
            throw e;
        } finally {
            announce.settle();
            claim.release();
        }
    }

    /**
     * The workflow was cancelled (any gate was already reopened by the outage's compensation): background jobs
     * resume, and it is recorded and announced. Version 1 ("cancel-cleanup"); before it, nothing was done.
     */
    private void cancelled() {
        if (!Change.CANCEL_CLEANUP.isOn()) {
            return;
        }
        FastStage at = journal.stage();
        if (quiesced) {
            journal.hooks("Resume", () -> window.resume(environment));
        }
        String why = "Cancelled at " + at + (quiesced ? "; background jobs were resumed." : ".")
                + (at == FastStage.OUTAGE ? " The outage was rolled back and the gate reopened." : "");
        ending.ended(why);
        qa.closeUnjudged("the window was cancelled");
        journal.end(FastStage.CANCELLED, why);
        announce.cancelled(why);
    }

    private WindowMetrics metrics() {
        return new WindowMetrics(environment, FastDowntimeWorkflow.TYPE);
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
            // Version 1 ("one-window"): a window claims its environment first; one already running refuses it.
            claim.claim(Change.ONE_WINDOW);
            return db.resolvePatches(environment, requested);
        });
        // Version 1 ("live-qa"): LIVE patches are candidates like cold ones, applied only once QA approved them.
        boolean liveQa = Change.LIVE_QA.isOn();
        if (!liveQa) {
            applyLivePatches(resolved.live());
        }
        qa.candidates(liveQa ? concat(resolved.cold(), resolved.live()) : resolved.cold());
        if (qa.noCandidates()) {
            qa.open(policy);
            return skip(
                    liveQa ? "Nothing to deploy: no pending patch." : "Nothing to deploy: no pending cold patch.",
                    List.of());
        }
        timeOnStaging();
        qa.open(policy);

        QaGate.Decision decision = awaitQa(started);
        List<PatchId> appliedLive = liveQa ? applyLivePatches(decision.live()) : List.of();
        qa.applied(appliedLive);
        List<PatchCandidate> cold = liveQa ? decision.cold() : decision.approved();
        if (cold.isEmpty()) {
            return appliedLive.isEmpty()
                    ? skip("Window skipped: no patch was approved by the QA deadline.", decision.deferred())
                    : skip(
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
                        ? skip(sealed.noOutage(), deferred)
                        : skip(sealed.noOutage() + " Applied live " + ids(appliedLive) + ".", appliedLive, deferred);
            }
        }
        if (windowStart == null) {
            // Version 1 ("now-leads"): a window without a start still honours the quiesce lead, from the end of QA.
            boolean leads = Change.NOW_LEADS.isOn();
            windowStart = leads ? Clock.now().plus(policy.quiesceLead()) : Clock.now();
            if (leads) {
                journal.event(
                        AWAITING_QA,
                        "QA is done: the window starts at " + windowStart + ", the quiesce lead ("
                                + Durations.format(policy.quiesceLead()) + ") from now.");
            }
        }
        Journal.window(windowStart);
        boolean armed = quiesce(decision);
        AfterQa after = new AfterQa(journal, window, announce, ending, qa, metrics(), environment, workflowId);
        try {
            outage = after.outage(policy, cold, bundle, windowStart, armed);
        } catch (ApplicationFailure e) {
            outage = after.failedOutage(); // what the outage did before it failed, for the status
            throw e;
        }
        afterCommit = AfterCommit.check(longDb, db, environment, outage, journal);
        if (afterCommit != null) {
            outage = afterCommit.outage();
        }
        return after.finish(outage, appliedLive, deferred, afterCommit);
    }

    // ---- steps ----------------------------------------------------------------------------------

    private List<PatchId> validate(FastDowntimeRequest request, Instant now) {
        WindowRequest checked = WindowRequest.check(request, environment, now);
        if (checked.windowProblem() != null) {
            throw failEarly(FailureType.BAD_INPUT.name(), checked.windowProblem());
        }
        windowStart = checked.windowStart();
        if (windowStart != null) {
            Journal.window(windowStart);
        }
        if (checked.patchesProblem() != null) {
            throw failEarly(FailureType.BAD_INPUT.name(), checked.patchesProblem());
        }
        return checked.patches();
    }

    /** A step before the candidates are judged: a failure ends the window at once, said once. */
    private <T> T early(java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            WindowFailures.Reason r = WindowFailures.of(e);
            throw failEarly(r.type(), r.message());
        }
    }

    /** Applies LIVE patches outside any outage; returns those applied (one that fails stays pending). */
    private List<PatchId> applyLivePatches(List<PatchCandidate> live) {
        if (live.isEmpty()) {
            return List.of();
        }
        journal.stage(APPLYING_LIVE);
        return LivePatches.apply(longDb, environment, workflowId, live, journal::note).stream()
                .map(AppliedPatch::id)
                .toList();
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private void timeOnStaging() {
        journal.stage(TIMING);
        if (!policy.stagingConfigured()) {
            journal.event(TIMING, "No staging environment configured: patches were not timed.");
            return;
        }
        for (PatchTiming t : early(() -> longDb.timeOnStaging(environment, qa.coldIds()))) {
            if (qa.timed(t)) {
                journal.event(TIMING, timingLine(t));
            }
        }
        Duration budget = policy.stagingTotal();
        // Version 1 ("staging-total"): the budget is the candidates' total, not only each patch's time.
        if (budget != null && qa.stagingTotal() > budget.toMillis() / 1000.0 && Change.STAGING_TOTAL.isOn()) {
            List<PatchId> over = qa.overTotal(budget);
            journal.event(
                    TIMING,
                    String.format(
                            "Staging total %.1f s is over the window's budget of %s%s.",
                            qa.stagingTotal(),
                            Durations.format(budget),
                            over.isEmpty() ? "" : ": " + ids(over) + " need a sign-off, or wait for a later window"));
        }
    }

    private static String timingLine(PatchTiming t) {
        String over = t.needsSignOff() ? " (over budget: needs sign-off)" : "";
        if (PatchTiming.NONE.equals(t.source())) {
            return t.id() + " is on staging already, applied with no recorded time: needs sign-off.";
        }
        return PatchTiming.HISTORY.equals(t.source())
                ? String.format("%s is on staging already: it took %.1f seconds there%s.", t.id(), t.seconds(), over)
                : String.format("%s applied just now in %.1f seconds on staging%s.", t.id(), t.seconds(), over);
    }

    private QaGate.Decision awaitQa(Instant started) {
        qaDeadline = WindowRequest.qaDeadline(windowStart, started, policy.qaLead());
        journal.stage(AWAITING_QA);
        journal.event(
                AWAITING_QA,
                "Waiting for QA of " + ids(qa.ids()) + " until " + qaDeadline + "."
                        + (windowStart != null
                                ? ""
                                : " The window starts the quiesce lead (" + Durations.format(policy.quiesceLead())
                                        + ") after QA is done, at the latest " + qaDeadline.plus(policy.quiesceLead())
                                        + "."));
        Instant from = Clock.now();
        Workflow.await(Clock.until(qaDeadline), () -> qa.abort() != null || qa.allDecided());
        QaGate.Decision decision = qa.close();
        metrics().qaWait(Duration.between(from, Clock.now()));
        if (qa.abort() != null) {
            throw aborted();
        }
        List<PatchId> deferred = decision.deferred();
        if (!deferred.isEmpty()) {
            journal.event(AWAITING_QA, "Deferred (not approved by the QA deadline): " + ids(deferred) + ".");
            announce.deferred(ids(deferred));
        }
        return decision;
    }

    /** Waits for the quiesce lead, quiesces and announces; returns the outage's version. */
    private boolean quiesce(QaGate.Decision decision) {
        journal.stage(WAITING_FOR_WINDOW);
        if (Workflow.await(Clock.until(windowStart.minus(policy.quiesceLead())), () -> qa.abort() != null)) {
            throw aborted();
        }
        journal.stage(QUIESCED);
        journal.hooks("Quiesce", () -> window.quiesce(environment));
        quiesced = true;
        String approved =
                ids(decision.approved().stream().map(PatchCandidate::id).toList());
        String deferred = ids(decision.deferred());
        announce.announced(windowStart, approved, deferred);
        // Version 1: preflight before the window and an armed outage that closes the gate on time at T.
        boolean armed = Change.ARMED_OUTAGE.isOn();
        if (!armed && Workflow.await(Clock.until(windowStart), () -> qa.abort() != null)) {
            throw aborted();
        }
        announce.starting(windowStart, policy.outageBudget(), approved);
        return armed;
    }

    // ---- endings --------------------------------------------------------------------------------

    private FastDowntimeResult skip(String why, List<PatchId> deferred) {
        return skip(why, List.of(), deferred);
    }

    /** The outage is skipped; {@code applied}: what was applied without one (approved LIVE patches). */
    private FastDowntimeResult skip(String why, List<PatchId> applied, List<PatchId> deferred) {
        ending.ended(why);
        journal.end(SKIPPED, why);
        announce.skipped(why);
        Workflow.await(Workflow::isEveryHandlerFinished);
        return FastDowntimeResult.skipped(why, applied, deferred);
    }

    private ApplicationFailure aborted() {
        AbortSignal abort = qa.abort();
        ApplicationFailure failure = ending.fail(
                FailureType.ABORTED,
                String.format("Aborted by %s before the outage: %s. Nothing was changed.", abort.by(), abort.reason()));
        journal.end(ABORTED, ending.message());
        if (quiesced) {
            journal.hooks("Resume", () -> window.resume(environment));
        }
        announce.aborted(ending.message());
        return failure;
    }

    private ApplicationFailure failEarly(String type, String why) {
        ApplicationFailure failure = ending.fail(type, why);
        journal.end(FAILED, type + ": " + why);
        qa.closeUnjudged("the window ended before it could judge signals (" + why + ")");
        return failure;
    }

    // ---- signals and queries ----------------------------------------------------------------------

    @Override
    public void qaOk(QaSignal s) {
        qa.receive(QaWord.QA_OK, s);
    }

    @Override
    public ApprovalAnswer approve(QaSignal s) {
        int before = verdicts.all().size();
        int mine = s.each().size();
        qa.receive(QaWord.QA_OK, s, true);
        // Held until the candidates are known, then judged: the answer is each patch's verdict.
        Workflow.await(() -> ours(before, s).size() >= mine);
        return new ApprovalAnswer(ours(before, s));
    }

    /** The qaOk verdicts recorded since {@code before} for what {@code s}'s sender sent. */
    private List<SignalRecord> ours(int before, QaSignal s) {
        List<SignalRecord> all = verdicts.all();
        String by = Lenient.shown(s.by());
        return all.subList(before, all.size()).stream()
                .filter(r -> QaWord.QA_OK.is(r.signal()) && Objects.equals(r.by(), by))
                .toList();
    }

    @Override
    public void validateApprove(QaSignal s) {
        if (s == null) {
            throw new IllegalArgumentException("the payload needs \"patch\" or \"patches\" and \"by\"");
        }
        List<QaSignal> each = s.each();
        List<String> problems = qa.problems(QaWord.QA_OK, s);
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < each.size(); i++) {
            if (problems.get(i) != null) {
                refused.add((each.get(i).patch() == null
                                ? ""
                                : Lenient.shown(each.get(i).patch()) + ": ")
                        + problems.get(i));
            }
        }
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", refused));
        }
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
                afterCommit == null ? List.of() : afterCommit.warnings(),
                afterCommit == null ? null : afterCommit.preflight(),
                bundle);
    }

    private static String ids(Collection<PatchId> ids) {
        return PatchId.join(ids);
    }
}
