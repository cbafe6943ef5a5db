package org.fastdowntime.fast;

import static org.fastdowntime.model.FastStage.ABORTED;
import static org.fastdowntime.model.FastStage.DONE;
import static org.fastdowntime.model.FastStage.FAILED;
import static org.fastdowntime.model.FastStage.POST_CHECKS;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.fastdowntime.downtime.ActivityStubs;
import org.fastdowntime.downtime.AfterCommit;
import org.fastdowntime.downtime.Change;
import org.fastdowntime.downtime.Ending;
import org.fastdowntime.downtime.Journal;
import org.fastdowntime.downtime.OutageCore;
import org.fastdowntime.downtime.WindowFailures;
import org.fastdowntime.downtime.WindowMetrics;
import org.fastdowntime.model.AppliedPatch;
import org.fastdowntime.model.EnvironmentPolicy;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.FastDowntimeResult;
import org.fastdowntime.model.FastStage;
import org.fastdowntime.model.OutageReport;
import org.fastdowntime.model.OutageRequest;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchKind;
import org.fastdowntime.model.SealedBundle;
import org.fastdowntime.ports.WindowActivities;
import org.fastdowntime.time.Clock;

/**
 * A fast window once QA has decided: the outage (through the shared {@link OutageCore}), then background
 * jobs resumed, the post-checks and the done announcement. Workflow code: it waits and calls activities.
 */
final class AfterQa {
    private final Journal<FastStage> journal;
    private final WindowActivities window;
    private final WindowAnnouncements announce;
    private final Ending ending;
    private final QaGate qa;
    private final WindowMetrics metrics;
    private final String environment;
    private final String workflowId;
    private OutageReport failedOutage;
    private boolean stagingConfigured;

    AfterQa(
            Journal<FastStage> journal,
            WindowActivities window,
            WindowAnnouncements announce,
            Ending ending,
            QaGate qa,
            WindowMetrics metrics,
            String environment,
            String workflowId) {
        this.journal = journal;
        this.window = window;
        this.announce = announce;
        this.ending = ending;
        this.qa = qa;
        this.metrics = metrics;
        this.environment = environment;
        this.workflowId = workflowId;
    }

    /** What a failed outage reported of itself (gate closed and opened, sessions, the failure), or null. */
    OutageReport failedOutage() {
        return failedOutage;
    }

    /**
     * The outage core at the window's start, running exactly {@code bundle} (null for windows that started
     * before bundles were sealed); a failure reopens, resumes, announces and is rethrown.
     */
    OutageReport outage(
            EnvironmentPolicy policy,
            List<PatchCandidate> approved,
            SealedBundle bundle,
            Instant windowStart,
            boolean armed) {
        stagingConfigured = policy.stagingConfigured();
        OutageReport outage;
        OutageRequest request = new OutageRequest(environment, workflowId, approved).sealed(bundle);
        OutageCore core = new OutageCore(policy);
        try {
            outage = !armed
                    ? core.run(request, qa::abort, journal)
                    : core.runAt(request, windowStart, qa::abort, journal);
        } catch (ApplicationFailure e) {
            failedOutage = core.failedReport();
            ending.failed(e);
            List<PatchId> applied = core.appliedAfterLoss();
            // Version 1: a window lost after COMMIT says its patches are applied and still runs its post-checks.
            boolean appliedRule = !applied.isEmpty() && Change.LOST_AFTER_COMMIT.isOn();
            FastStage ended = FailureType.ABORTED.name().equals(e.getType()) ? ABORTED : FAILED;
            journal.stage(appliedRule ? POST_CHECKS : ended);
            journal.hooks("Resume", () -> window.resume(environment));
            if (appliedRule) {
                qa.applied(applied);
                postChecksAfterLoss();
                journal.stage(ended);
                journal.event(ended, ending.message());
                announce.appliedButLost(ending.message(), PatchId.join(applied));
            } else {
                journal.event(ended, ending.message()); // last, so the UI's current details say how it ended
                announce.failed(ending.message());
            }
            throw e;
        }
        List<PatchId> applied = outage.applied().stream().map(AppliedPatch::id).toList();
        qa.applied(applied);
        metrics.outage(outage);
        metrics.leadTimes(applied.stream().map(qa::candidate).toList(), Clock.now());
        return outage;
    }

    /** The patches are in although the outage was lost: the post-checks say whether the service is well. */
    private void postChecksAfterLoss() {
        try {
            window.postChecks(environment).forEach(r -> journal.event(POST_CHECKS, r));
        } catch (RuntimeException e) {
            journal.event(
                    POST_CHECKS, "Post-checks failed: " + WindowFailures.of(e).message());
        }
    }

    /** Background jobs resume, the post-checks run, the window is done and announced. */
    /**
     * Change "staging-follows": staging is brought up with what the window applied (outside any outage), so the next
     * window finds it in step; a failure is said and leaves the window done.
     */
    private void followOnStaging(List<PatchId> appliedLive, OutageReport outage) {
        List<AppliedPatch> files = new java.util.ArrayList<>();
        appliedLive.forEach(id ->
                files.add(new AppliedPatch(id, PatchKind.LIVE, qa.candidate(id).sha256(), 0)));
        files.addAll(outage.applied());
        List<PatchId> applied = files.stream().map(AppliedPatch::id).toList();
        if (!stagingConfigured || applied.isEmpty() || !Change.STAGING_FOLLOWS.isOn()) {
            return;
        }
        try {
            List<PatchId> followed = ActivityStubs.longDatabase().followOnStaging(environment, files, workflowId);
            journal.event(
                    POST_CHECKS,
                    followed.isEmpty()
                            ? "Staging already had " + PatchId.join(applied) + "."
                            : "Staging brought up with " + PatchId.join(followed) + ".");
        } catch (ActivityFailure e) {
            journal.event(
                    POST_CHECKS,
                    "Staging could not be brought up with " + PatchId.join(applied) + " (the next window will say it"
                            + " is behind): " + WindowFailures.of(e).message());
        }
    }

    FastDowntimeResult finish(
            OutageReport outage, List<PatchId> appliedLive, List<PatchId> deferred, AfterCommit afterCommit) {
        journal.hooks("Resume", () -> window.resume(environment));
        journal.stage(POST_CHECKS);
        try {
            window.postChecks(environment).forEach(r -> journal.event(POST_CHECKS, r));
        } catch (RuntimeException e) {
            String why = "Patches are applied, but post-checks failed: "
                    + WindowFailures.of(e).message();
            ApplicationFailure failure = ending.fail(FailureType.POST_CHECK_FAILED, why);
            journal.end(FAILED, why);
            announce.incident(why);
            throw failure;
        }
        List<PatchId> applied = new java.util.ArrayList<>(appliedLive);
        applied.addAll(outage.applied().stream().map(AppliedPatch::id).toList());
        followOnStaging(appliedLive, outage);
        List<PatchId> cold = outage.applied().stream().map(AppliedPatch::id).toList();
        String took = Clock.format(Duration.ofMillis(outage.outageMillis()));
        if (outage.gateClosedAt() == null) {
            // Everything sealed was applied by an earlier window by the time of the outage: no gate closed.
            ending.ended(
                    outage.steps().isEmpty()
                            ? "Nothing to apply: the gate was not closed."
                            : outage.steps().get(outage.steps().size() - 1).message());
        } else {
            ending.ended(String.format(
                            "Applied %s with an outage of %s%s%s",
                            PatchId.join(cold),
                            took,
                            appliedLive.isEmpty() ? "" : "; live before it: " + PatchId.join(appliedLive),
                            deferred.isEmpty() ? "." : "; deferred " + PatchId.join(deferred) + ".")
                    + (afterCommit == null ? "" : afterCommit.said()));
        }
        if (afterCommit != null) {
            afterCommit.warnings().forEach(announce::primaryOnly);
        }
        journal.end(DONE, ending.message());
        announce.done(ending.message(), outage, PatchId.join(cold), PatchId.join(deferred));
        Workflow.await(Workflow::isEveryHandlerFinished);
        return FastDowntimeResult.completed(ending.message(), applied, deferred, outage);
    }
}
