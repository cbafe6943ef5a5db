package org.fastdowntime.monthly;

import static org.fastdowntime.model.MonthlyStage.ABORTED;
import static org.fastdowntime.model.MonthlyStage.FAILED;

import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fastdowntime.downtime.ActivityStubs;
import org.fastdowntime.downtime.Change;
import org.fastdowntime.downtime.Ending;
import org.fastdowntime.downtime.Endings;
import org.fastdowntime.downtime.Inbox;
import org.fastdowntime.downtime.Journal;
import org.fastdowntime.downtime.Verdicts;
import org.fastdowntime.model.AbortSignal;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.MonthlyPolicy;
import org.fastdowntime.model.MonthlyStage;
import org.fastdowntime.model.Outcome;
import org.fastdowntime.ports.DatabaseActivities;
import org.fastdowntime.ports.MonthlyActivities;
import org.fastdowntime.ports.WindowActivities;
import org.fastdowntime.time.Clock;
import org.slf4j.Logger;

/**
 * One monthly downtime's shared state, as the workflow's parts see it: the activities it calls,
 * its journal, what it knows ({@link Negotiation}, {@link MergePlan}, {@link Release}), its
 * announcements, and the one way it ends badly ({@link #fail}, {@link #abortBeforeWindow}).
 */
final class Month {
    final MonthlyActivities monthly = ActivityStubs.monthly();
    final DatabaseActivities db = ActivityStubs.database();
    final DatabaseActivities longDb = ActivityStubs.longDatabase();
    final WindowActivities window = ActivityStubs.window();

    final String environment;
    final String workflowId;
    final Journal<MonthlyStage> journal;
    final Verdicts verdicts;
    final Inbox inbox = new Inbox();
    final Ending ending = new Ending();
    private final Endings<MonthlyStage> endings;
    final Release release;
    final MergePlan plan;
    final MonthlyAnnouncements announce;
    /** Loaded once, at the start; null before (signals that came then are judged once it is known). */
    private MonthlyPolicy policy;
    /** The windows under negotiation, once the input was checked. */
    private Negotiation windows;
    /** Services are paused (the quiesce hooks ran) and not resumed yet. */
    private boolean paused;

    Month(String environment, String workflowId, List<String> cowboys, Logger log) {
        this.environment = environment;
        this.workflowId = workflowId;
        this.journal = new Journal<>(MonthlyStage.STARTING, MonthlyStage.PREFLIGHT, MonthlyStage.OUTAGE, log);
        this.verdicts = new Verdicts(Clock::now, journal::note, log);
        this.endings = new Endings<>(journal, ending, FAILED, ABORTED, MonthlyStage.CANCELLED, MonthlyStage.OUTAGE);
        this.release = new Release(cowboys);
        // Version 1 ("author-qa"): a revision's author's own QA-ok does not count.
        this.plan = new MergePlan(() -> Change.AUTHOR_QA.isOn(), journal::note);
        this.announce = new MonthlyAnnouncements(window, journal, environment, workflowId);
    }

    MonthlyPolicy policy() {
        return policy;
    }

    Negotiation windows() {
        return windows;
    }

    /** The policy, loaded at the start (the one place it is written). */
    void policyLoaded(MonthlyPolicy loaded) {
        this.policy = loaded;
    }

    /** The windows to negotiate, once the input was checked (the one place they are written). */
    void negotiating(Negotiation n) {
        this.windows = n;
    }

    void pauseServices() {
        journal.hooks("Quiesce", () -> window.quiesce(environment));
        paused = true;
    }

    void resumeServices() {
        journal.hooks("Resume", () -> window.resume(environment));
        paused = false;
    }

    /**
     * The workflow was cancelled (any gate was already reopened by the outage's compensation): paused
     * services resume, RC mode goes off, and it is recorded and announced (change "monthly-cancel-cleanup").
     */
    void cancelled() {
        Change.MONTHLY_CANCEL_CLEANUP.record();
        MonthlyStage at = journal.stage();
        List<String> done = new ArrayList<>();
        if (paused) {
            resumeServices();
            done.add("services were resumed");
        }
        if (release.rcMode() || at == MonthlyStage.MERGING) {
            leaveRc("the downtime was cancelled");
            done.add("RC mode is off again");
        }
        String why = endings.cancelled(done, () -> inbox.close("the downtime was cancelled"));
        if (policy != null) {
            announce.cancelled(why);
        }
        announce.sendAll();
    }

    /**
     * devel leaves RC mode, announced like its start (the topic set, then reversed). Version 1
     * ("rc-off-announced"); before it, the end of RC mode was only on the timeline.
     */
    void leaveRc(String why) {
        monthly.leaveRc(environment);
        release.rcOff();
        if (Change.RC_OFF_ANNOUNCED.isOn()) {
            announce.rcModeOff(why);
        }
    }

    /** Everything merged was backed out before the window: the downtime is not needed. */
    MonthlyDowntimeWorkflow.MonthlyResult nothingLeft(String why) {
        if (release.rcMode()) {
            leaveRc("everything merged was backed out");
        }
        ending.ended("Nothing left to deploy: " + why + ".");
        journal.end(MonthlyStage.DONE, ending.message());
        announce.notNeeded(windows.main(), ending.message());
        return new MonthlyDowntimeWorkflow.MonthlyResult(
                Outcome.NOTHING_TO_MERGE, ending.message(), null, List.of(), 0, 0);
    }

    /** Waits until {@code until}; an abort before then calls the downtime off. */
    void awaitOrAbort(Instant until) {
        Workflow.await(Clock.until(until), () -> release.abort() != null);
        if (release.abort() != null) {
            throw abortBeforeWindow();
        }
    }

    /** A lead aborted before the window: RC mode off, nothing changed, said and announced. */
    ApplicationFailure abortBeforeWindow() {
        if (release.rcMode()) {
            leaveRc("the downtime was aborted");
        }
        AbortSignal abort = release.abort();
        ApplicationFailure failure = endings.aborted("Aborted by " + abort.by() + " at " + journal.stage() + ": "
                + abort.reason() + ". Nothing was changed.");
        announce.aborted(ending.message());
        return failure;
    }

    /** The process failed while devel was in RC mode: RC mode goes off first. */
    ApplicationFailure failInRc(FailureType type, String why) {
        leaveRc("the downtime was called off");
        return fail(type, why + "; RC mode is off again and the downtime is called off.");
    }

    ApplicationFailure fail(String type, String why) {
        ApplicationFailure failure = endings.failed(type, why);
        if (policy != null) {
            announce.calledOff(why);
        }
        inbox.close("the downtime failed before judging signals (" + why + ")");
        return failure;
    }

    ApplicationFailure fail(FailureType type, String why) {
        return fail(type.name(), why);
    }
}
