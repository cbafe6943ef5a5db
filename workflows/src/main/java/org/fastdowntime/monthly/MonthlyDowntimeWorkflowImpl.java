package org.fastdowntime.monthly;

import static org.fastdowntime.model.MonthlyStage.ABORTED;
import static org.fastdowntime.model.MonthlyStage.AWAITING_CI;
import static org.fastdowntime.model.MonthlyStage.AWAITING_QASTAGING;
import static org.fastdowntime.model.MonthlyStage.CONFIRMING;
import static org.fastdowntime.model.MonthlyStage.DONE;
import static org.fastdowntime.model.MonthlyStage.FAILED;
import static org.fastdowntime.model.MonthlyStage.MERGING;
import static org.fastdowntime.model.MonthlyStage.OUTAGE;
import static org.fastdowntime.model.MonthlyStage.POST_CHECKS;
import static org.fastdowntime.model.MonthlyStage.RC_MODE;
import static org.fastdowntime.model.MonthlyStage.RESCHEDULED;
import static org.fastdowntime.model.MonthlyStage.SCHEDULED;
import static org.fastdowntime.model.MonthlyStage.SERVICES_PAUSED;
import static org.fastdowntime.model.MonthlyStage.STARTING;
import static org.fastdowntime.model.MonthlyStage.UPGRADING_QASTAGING;
import static org.fastdowntime.model.MonthlyStage.WAITING_FOR_MERGE;
import static org.fastdowntime.model.MonthlyStage.WATCHING;
import static org.fastdowntime.monthly.MergePlan.shortSha;

import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.fastdowntime.downtime.ActivityStubs;
import org.fastdowntime.downtime.Ending;
import org.fastdowntime.downtime.Inbox;
import org.fastdowntime.downtime.Journal;
import org.fastdowntime.downtime.LivePatches;
import org.fastdowntime.downtime.OutageCore;
import org.fastdowntime.downtime.Verdicts;
import org.fastdowntime.downtime.WindowFailures;
import org.fastdowntime.downtime.WindowMetrics;
import org.fastdowntime.model.AbortSignal;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.MonthlyDowntimeRequest;
import org.fastdowntime.model.MonthlyPolicy;
import org.fastdowntime.model.MonthlySignals;
import org.fastdowntime.model.MonthlyStage;
import org.fastdowntime.model.MonthlyStatus;
import org.fastdowntime.model.OutageReport;
import org.fastdowntime.model.OutageRequest;
import org.fastdowntime.model.Outcome;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchTiming;
import org.fastdowntime.model.ResolvedPatches;
import org.fastdowntime.model.RevisionInfo;
import org.fastdowntime.ports.DatabaseActivities;
import org.fastdowntime.ports.MonthlyActivities;
import org.fastdowntime.ports.WindowActivities;
import org.fastdowntime.time.Clock;
import org.slf4j.Logger;

/**
 * The Temporal shell of the monthly process: timers, signals, activities, in order. What it knows
 * lives in {@link Negotiation} (the windows), {@link MergePlan} (the QA-ok merge and its budget),
 * {@link Release} (RC mode, CI, qastaging, cowboys, incidents, abort) and {@link
 * MonthlyAnnouncements}; signals are judged through one {@link Inbox} and {@link Verdicts} log.
 */
public class MonthlyDowntimeWorkflowImpl implements MonthlyDowntimeWorkflow {
    private static final Logger log = Workflow.getLogger(MonthlyDowntimeWorkflowImpl.class);
    private static final int MAX_ATTEMPTS = 3;

    private final MonthlyActivities monthly = ActivityStubs.monthly();
    private final DatabaseActivities db = ActivityStubs.database();
    private final DatabaseActivities longDb = ActivityStubs.longDatabase();
    private final WindowActivities window = ActivityStubs.window();

    private final Journal<MonthlyStage> journal = new Journal<>(STARTING, log);
    private final Verdicts verdicts = new Verdicts(Clock::now, journal::note, log);
    private final Inbox inbox = new Inbox();
    private final Ending ending = new Ending();
    private final String environment;
    private final String workflowId;
    private final Release release;
    private final MonthlyAnnouncements announce;
    private final MergePlan plan = new MergePlan(
            () -> Workflow.getVersion("author-qa", Workflow.DEFAULT_VERSION, 1) != Workflow.DEFAULT_VERSION,
            journal::note);
    private MonthlyPolicy policy;
    private Negotiation windows;
    private boolean finished;
    private OutageReport outage;

    @WorkflowInit
    public MonthlyDowntimeWorkflowImpl(MonthlyDowntimeRequest request) {
        this.environment = request == null ? null : request.environment();
        this.workflowId = Workflow.getInfo().getWorkflowId();
        this.release = new Release(request == null ? List.of() : request.cowboys());
        this.announce = new MonthlyAnnouncements(window, journal, environment, workflowId);
    }

    @Override
    public MonthlyResult run(MonthlyDowntimeRequest request) {
        Promise<Void> background = Async.procedure(this::background);
        WindowMetrics metrics = new WindowMetrics(environment, MonthlyDowntimeWorkflow.TYPE);
        try {
            MonthlyResult r = process(request);
            metrics.window(
                    r.outcome() == Outcome.COMPLETED
                            ? "done"
                            : r.outcome().name().toLowerCase(Locale.ROOT));
            return r;
        } catch (ApplicationFailure e) {
            metrics.window(FailureType.ABORTED.name().equals(e.getType()) ? "aborted" : "failed");
            throw e;
        } finally {
            finished = true;
            Workflow.newDetachedCancellationScope(() -> background.get()).run();
        }
    }

    private MonthlyResult process(MonthlyDowntimeRequest request) {
        if (request == null || environment == null || environment.isBlank()) {
            throw fail(FailureType.BAD_INPUT, "the input needs an \"environment\"");
        }
        Instant main = instant("main", request.main());
        Instant backup = instant("backup", request.backup());
        try {
            policy = monthly.loadMonthlyPolicy(environment);
        } catch (RuntimeException e) {
            WindowFailures.Reason r = WindowFailures.of(e);
            throw fail(r.type(), r.message());
        }
        List<String> parties =
                request.parties().isEmpty() ? List.copyOf(policy.parties().keySet()) : request.parties();
        for (String p : parties) {
            if (!policy.parties().containsKey(p)) {
                throw fail(
                        FailureType.BAD_INPUT,
                        "unknown party '" + p + "'; configured: "
                                + policy.parties().keySet());
            }
        }
        Negotiation n = new Negotiation(policy, parties, main, backup);
        String problem = n.problem(main, backup, Clock.now());
        if (problem != null) {
            throw fail(FailureType.BAD_INPUT, problem);
        }
        windows = n;
        Journal.window(main);
        journal.event(STARTING, "Monthly downtime of " + environment + ": main " + main + ", backup " + backup + ".");
        journal.stage(CONFIRMING);
        inbox.open();

        confirmWindows();
        announce.announced(windows.main(), windows.backup(), policy);
        journal.stage(WAITING_FOR_MERGE);
        awaitOrAbort(windows.main().minus(policy.mergeLead()));
        if (!merge(request.dbStable())) {
            journal.stage(DONE);
            ending.ended("Nothing QA-ok to merge from db-stable: no downtime needed.");
            announce.notNeeded(windows.main(), ending.message());
            return new MonthlyResult(Outcome.NOTHING_TO_MERGE, ending.message(), null, List.of(), 0, 0);
        }
        awaitCi();
        upgradeQastaging();
        monthly.leaveRc(environment);
        release.rcOff();
        journal.note("RC mode off: devel is open again.");
        runWindow();
        return watchAfterRollout();
    }

    // ---- 1. windows -----------------------------------------------------------------------------

    private void confirmWindows() {
        boolean escalated = false;
        while (!windows.allConfirmed()) {
            Instant escalateAt = windows.main().minus(policy.confirmLead());
            Instant lastChance = windows.main().minus(policy.mergeLead());
            Instant next = Clock.now().isBefore(escalateAt) ? escalateAt : lastChance;
            boolean woke = Workflow.await(
                    Clock.until(next), () -> windows.allConfirmed() || windows.changed() || release.abort() != null);
            if (release.abort() != null) {
                throw abortBeforeWindow();
            }
            if (windows.takeChanged()) {
                journal.note("New windows proposed: main "
                        + windows.main()
                        + ", backup "
                        + windows.backup()
                        + "; confirmations start again.");
                continue;
            }
            if (!woke && !Clock.now().isBefore(lastChance)) {
                throw fail(
                        FailureType.WINDOW_NOT_CONFIRMED,
                        "the windows were not confirmed by "
                                + windows.missing()
                                + " before the merge deadline "
                                + lastChance);
            }
            if (!woke && !escalated) {
                escalated = true;
                announce.escalation(windows.main(), windows.missing());
            }
        }
        journal.note("Windows confirmed by " + windows.confirmations() + ".");
    }

    // ---- 2. QA-ok merge and budget --------------------------------------------------------------

    private boolean merge(String dbStable) {
        journal.stage(MERGING);
        List<RevisionInfo> pending = monthly.pendingRevisions(environment, dbStable);
        MergePlan.Prefix prefix = plan.prefix(pending);
        List<PatchTiming> timings =
                prefix.carriesPatches() ? monthly.timeRevision(environment, prefix.last()) : List.of();
        String merged = plan.plan(pending, prefix, timings, policy);
        if (merged == null) {
            return false;
        }
        release.merged(merged, monthly.mergeAndEnterRc(environment, merged, workflowId));
        journal.stage(RC_MODE);
        journal.note("Merged db-stable "
                + shortSha(merged)
                + " into devel as "
                + shortSha(release.mergeCommit())
                + "; RC mode on: only [release-critical=…] or approved"
                + " landings.");
        announce.rcMode();
        return true;
    }

    // ---- 3. CI, qastaging -----------------------------------------------------------------------

    private void awaitCi() {
        journal.stage(AWAITING_CI);
        Instant deadline = windows.main().minus(policy.reminderLead());
        while (release.ciBlessedBy() == null) {
            Instant poll = Clock.now().plus(policy.ciPollInterval());
            Instant next = policy.ciPolled() && poll.isBefore(deadline) ? poll : deadline;
            Workflow.await(Clock.until(next), () -> release.ciBlessedBy() != null || release.abort() != null);
            if (release.abort() != null) {
                throw abortBeforeWindow();
            }
            if (release.ciBlessedBy() == null
                    && policy.ciPolled()
                    && monthly.ciPassed(environment, release.mergeCommit())) {
                release.ciBlessedBy("CI");
            }
            if (release.ciBlessedBy() == null && !Clock.now().isBefore(deadline)) {
                throw failInRc(
                        FailureType.CI_NOT_BLESSED,
                        "CI did not bless " + shortSha(release.mergeCommit()) + " by " + deadline);
            }
        }
        journal.note("CI blessed " + shortSha(release.mergeCommit()) + " (" + release.ciBlessedBy() + ").");
    }

    private void upgradeQastaging() {
        journal.stage(UPGRADING_QASTAGING);
        monthly.upgradeQastaging(environment).forEach(journal::note);
        journal.stage(AWAITING_QASTAGING);
        Instant deadline = windows.main().minus(policy.reminderLead());
        Workflow.await(Clock.until(deadline), () -> release.qastagingOkBy() != null || release.abort() != null);
        if (release.abort() != null) {
            throw abortBeforeWindow();
        }
        if (release.qastagingOkBy() == null) {
            throw failInRc(FailureType.QASTAGING_NOT_OK, "qastaging was not re-QA'd by " + deadline);
        }
        journal.note("qastaging re-QA'd by " + release.qastagingOkBy() + ".");
    }

    // ---- 4. the window, with abort to the backup window -----------------------------------------

    private void runWindow() {
        Instant at = windows.main();
        for (int attempt = 1; ; attempt++) {
            journal.stage(SCHEDULED);
            Instant reminderAt = at.minus(policy.reminderLead());
            if (Clock.now().isBefore(reminderAt)) {
                Workflow.await(Clock.until(reminderAt), () -> release.abort() != null);
                announce.reminder(attempt, at, policy, release.outstandingCowboys());
            }
            try {
                outage = outage(at, attempt);
                journal.hooks("Resume", () -> window.resume(environment));
                return;
            } catch (ApplicationFailure e) {
                journal.hooks("Resume", () -> window.resume(environment));
                boolean abortable = FailureType.ABORTED.name().equals(e.getType())
                        || FailureType.OFF_TRACK.name().equals(e.getType());
                if (!abortable || attempt >= MAX_ATTEMPTS) {
                    ending.failed(e);
                    journal.stage(FAILED);
                    announce.failed(ending.message());
                    throw e;
                }
                at = reschedule(e.getOriginalMessage());
            }
        }
    }

    /** Services pause, live patches run, then the outage core, tracked against the plan. */
    private OutageReport outage(Instant at, int attempt) {
        OutageCore core = new OutageCore(policy.fast());
        if (release.abort() == null) {
            Workflow.await(Clock.until(at.minus(policy.servicesPauseLead())), () -> release.abort() != null);
        }
        List<PatchCandidate> patches = List.of();
        if (release.abort() == null) {
            journal.stage(SERVICES_PAUSED);
            journal.hooks("Quiesce", () -> window.quiesce(environment));
            ResolvedPatches resolved = db.resolvePatches(environment, List.of());
            LivePatches.apply(longDb, environment, workflowId, resolved.live(), journal::note);
            patches = resolved.cold();
        }
        double planSeconds = plan.budget() == null ? 0 : plan.budget().estimateSeconds();
        Instant offTrackAt = at.plusMillis((long) (planSeconds * 1000)).plus(policy.offTrackLimit());
        OutageReport report = core.runAt(
                new OutageRequest(environment, workflowId + "-" + attempt, patches),
                at,
                release::abort,
                journal,
                offTrackAt);
        journal.event(
                OUTAGE,
                String.format(
                        "Outage complete: %s, within the plan of %.1f min.",
                        Clock.format(Duration.ofMillis(report.outageMillis())), planSeconds / 60));
        WindowMetrics metrics = new WindowMetrics(environment, MonthlyDowntimeWorkflow.TYPE);
        metrics.outage(report);
        metrics.leadTimes(patches, Clock.now());
        return report;
    }

    /** The next window, said in the timeline and announced; the abort that moved it is spent. */
    private Instant reschedule(String why) {
        MonthlyStage failedStep = journal.stage();
        Negotiation.Rescheduled next = windows.reschedule(Clock.now());
        release.clearAbort();
        Journal.window(next.at());
        journal.stage(RESCHEDULED);
        journal.note(
                "Aborted at " + failedStep + " (" + why + "); rescheduled to " + next.how() + ": " + next.at() + ".");
        announce.rescheduled(next.at(), why, next.how());
        return next.at();
    }

    // ---- 5. after -------------------------------------------------------------------------------

    private MonthlyResult watchAfterRollout() {
        journal.stage(POST_CHECKS);
        try {
            window.postChecks(environment).forEach(journal::note);
        } catch (RuntimeException e) {
            String problem =
                    "post-rollout checks failed: " + WindowFailures.of(e).message();
            release.incident(Clock.now() + " fastdowntime: " + problem);
            announce.incident("checks", problem);
        }
        List<String> applied =
                outage.applied().stream().map(a -> a.id().toString()).toList();
        ending.ended("Rolled out db-stable "
                + shortSha(plan.merged())
                + " ("
                + String.join(", ", applied)
                + ") with an outage of "
                + Clock.format(Duration.ofMillis(outage.outageMillis()))
                + "."
                + release.outstandingCowboys());
        announce.done(ending.message());
        journal.stage(WATCHING);
        Workflow.await(policy.postRolloutWatch(), () -> false);
        journal.stage(DONE);
        Workflow.await(Workflow::isEveryHandlerFinished);
        return new MonthlyResult(
                Outcome.COMPLETED,
                ending.message(),
                plan.merged(),
                applied,
                outage.outageMillis(),
                release.incidents().size());
    }

    /** Landing approvals and announcements, which signals ask for and activities carry out. */
    private void background() {
        while (true) {
            Workflow.await(() -> finished || release.hasLanding() || announce.hasQueued());
            if (release.hasLanding()) {
                String commit = release.takeLanding();
                try {
                    monthly.approveLanding(environment, commit);
                    journal.note("Landing of " + shortSha(commit) + " approved in RC mode.");
                } catch (RuntimeException e) {
                    journal.note("Recording the landing approval of "
                            + commit
                            + " failed: "
                            + WindowFailures.of(e).message());
                }
            } else if (announce.hasQueued()) {
                announce.sendNext();
            } else if (finished) {
                return;
            }
        }
    }

    // ---- signals: held until the policy is known, then judged, each verdict kept -----------------

    /**
     * Delivers a signal: {@code problem} judges it (null: accepted, said as {@code accepted}), and
     * {@code apply} carries out an accepted one.
     */
    private void receive(
            String name,
            String by,
            String subject,
            Supplier<String> problem,
            Supplier<String> accepted,
            Runnable apply) {
        inbox.deliver(new Inbox.Delivery() {
            @Override
            public void judge() {
                if (policy == null) {
                    unjudged("the downtime failed before judging signals");
                } else if (verdicts.judge(name, by, subject, problem.get(), accepted.get())) {
                    apply.run();
                }
            }

            @Override
            public void unjudged(String why) {
                verdicts.unjudged(name, by, subject, why);
            }
        });
    }

    @Override
    public void confirmWindow(MonthlySignals.Window s) {
        receive(
                "confirmWindow",
                s == null ? null : s.by(),
                s == null ? null : s.party(),
                () -> windows == null ? "the windows are not known yet" : windows.confirmProblem(s, journal.stage()),
                () -> "confirmed",
                () -> windows.confirm(s));
    }

    @Override
    public void proposeWindow(MonthlySignals.Window s) {
        Negotiation.Proposal[] p = new Negotiation.Proposal[1];
        receive(
                "proposeWindow",
                s == null ? null : s.by(),
                s == null ? null : s.party(),
                () -> {
                    p[0] = windows == null
                            ? new Negotiation.Proposal(null, null, "the windows are not known yet")
                            : windows.proposal(s, journal.stage(), Clock.now());
                    return p[0].problem();
                },
                () -> "new windows " + (p[0].main() == null ? "" : p[0].main() + " / " + p[0].backup()),
                () -> {
                    windows.propose(p[0], s);
                    Journal.window(windows.main());
                });
    }

    @Override
    public void qaOk(MonthlySignals.Revision s) {
        receive(
                "qaOk",
                s == null ? null : s.by(),
                s == null ? null : s.revision(),
                () -> plan.qaOkProblem(s, policy, journal.stage()),
                () -> "QA-ok",
                () -> plan.qaOk(s));
    }

    @Override
    public void ciBlessed(MonthlySignals.Revision s) {
        receive(
                "ciBlessed",
                s == null ? null : s.by(),
                s == null ? null : s.revision(),
                () -> release.ciBlessedProblem(s, journal.stage(), policy),
                () -> "blessed",
                () -> release.ciBlessedBy(s.by()));
    }

    @Override
    public void approveLanding(MonthlySignals.Landing s) {
        receive(
                "approveLanding",
                s == null ? null : s.by(),
                s == null ? null : s.commit(),
                () -> release.landingProblem(s, policy),
                () -> "approved",
                () -> release.approveLanding(s));
    }

    @Override
    public void qastagingOk(MonthlySignals.By s) {
        receive(
                "qastagingOk",
                s == null ? null : s.by(),
                null,
                () -> release.qastagingProblem(s, journal.stage(), policy),
                () -> "re-QA ok",
                () -> release.qastagingOk(s));
    }

    @Override
    public void cowboy(MonthlySignals.Cowboy s) {
        receive(
                "cowboy",
                s == null ? null : s.by(),
                s == null ? null : s.name(),
                () -> release.cowboyProblem(s, policy),
                () -> s == null ? "" : s.state(),
                () -> release.cowboy(s));
    }

    @Override
    public void abort(AbortSignal s) {
        receive(
                "abort",
                s == null ? null : s.by(),
                null,
                () -> release.abortProblem(s, journal.stage(), policy),
                () -> "accepted (" + (s == null ? "" : s.reason()) + ")",
                () -> release.abort(s));
    }

    @Override
    public void reportIssue(MonthlySignals.Issue s) {
        receive(
                "reportIssue",
                s == null ? null : s.by(),
                null,
                () -> release.issueProblem(s, journal.stage(), policy),
                () -> "recorded",
                () -> {
                    release.incident(Clock.now() + " " + s.by() + ": " + s.summary());
                    announce.issue(release.incidents().size(), s.by(), s.summary());
                });
    }

    @Override
    public MonthlyStatus status() {
        return new MonthlyStatus(
                environment,
                journal.stage().name(),
                windows == null ? null : windows.main(),
                windows == null ? null : windows.backup(),
                windows == null ? java.util.Map.of() : windows.confirmations(),
                plan.revisions(),
                plan.merged(),
                plan.budget(),
                release.rcMode(),
                release.cowboys(),
                release.incidents(),
                verdicts.all(),
                journal.timeline(),
                outage,
                ending.failureType(),
                ending.message());
    }

    // ---- endings and helpers --------------------------------------------------------------------

    private Instant instant(String field, String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (RuntimeException e) {
            throw fail(
                    FailureType.BAD_INPUT,
                    "\""
                            + field
                            + "\" must be an ISO-8601 time with an"
                            + " offset, e.g. 2026-12-08T22:00:00Z (got \""
                            + text
                            + "\")");
        }
    }

    private void awaitOrAbort(Instant until) {
        Workflow.await(Clock.until(until), () -> release.abort() != null);
        if (release.abort() != null) {
            throw abortBeforeWindow();
        }
    }

    private ApplicationFailure abortBeforeWindow() {
        if (release.rcMode()) {
            monthly.leaveRc(environment);
            release.rcOff();
        }
        AbortSignal abort = release.abort();
        ApplicationFailure failure = ending.fail(
                FailureType.ABORTED,
                "Aborted by "
                        + abort.by()
                        + " at "
                        + journal.stage()
                        + ": "
                        + abort.reason()
                        + ". Nothing was changed.");
        journal.stage(ABORTED);
        announce.aborted(ending.message());
        return failure;
    }

    private ApplicationFailure failInRc(FailureType type, String why) {
        monthly.leaveRc(environment);
        release.rcOff();
        return fail(type, why + "; RC mode is off again and the downtime is called off.");
    }

    private ApplicationFailure fail(String type, String why) {
        ApplicationFailure failure = ending.fail(type, why);
        journal.stage(FAILED);
        journal.note(type + ": " + why);
        if (policy != null) {
            announce.calledOff(why);
        }
        inbox.close("the downtime failed before judging signals (" + why + ")");
        return failure;
    }

    private ApplicationFailure fail(FailureType type, String why) {
        return fail(type.name(), why);
    }
}
