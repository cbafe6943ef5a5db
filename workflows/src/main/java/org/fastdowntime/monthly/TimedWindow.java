package org.fastdowntime.monthly;

import static org.fastdowntime.model.MonthlyStage.DONE;
import static org.fastdowntime.model.MonthlyStage.FAILED;
import static org.fastdowntime.model.MonthlyStage.OUTAGE;
import static org.fastdowntime.model.MonthlyStage.POST_CHECKS;
import static org.fastdowntime.model.MonthlyStage.RESCHEDULED;
import static org.fastdowntime.model.MonthlyStage.SCHEDULED;
import static org.fastdowntime.model.MonthlyStage.SERVICES_PAUSED;
import static org.fastdowntime.model.MonthlyStage.WATCHING;
import static org.fastdowntime.monthly.MergePlan.shortSha;

import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.fastdowntime.downtime.AfterCommit;
import org.fastdowntime.downtime.Change;
import org.fastdowntime.downtime.EnvironmentClaim;
import org.fastdowntime.downtime.Journal;
import org.fastdowntime.downtime.LivePatches;
import org.fastdowntime.downtime.OutageCore;
import org.fastdowntime.downtime.Seal;
import org.fastdowntime.downtime.WindowFailures;
import org.fastdowntime.downtime.WindowMetrics;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.MonthlyStage;
import org.fastdowntime.model.OutageReport;
import org.fastdowntime.model.OutageRequest;
import org.fastdowntime.model.Outcome;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.ResolvedPatches;
import org.fastdowntime.model.SealedBundle;
import org.fastdowntime.time.Clock;

/**
 * The timed monthly window and what follows: the reminder, services paused, the outage core
 * tracked against the plan (more than the off-track limit past the estimate: rolled back), a move
 * to the backup window on an abort (or the first hour that gives enough notice), then the
 * post-rollout checks and the watch for incidents. Workflow code: it waits and calls activities.
 */
final class TimedWindow {
    private static final int MAX_ATTEMPTS = 3;

    private final Month m;
    /** Why the window needed no outage once its bundle was sealed (nothing cold in the merge), or null. */
    private String noOutage;

    TimedWindow(Month m) {
        this.m = m;
    }

    /** Why {@link #run} returned no outage although something was merged: nothing cold to apply; else null. */
    String noOutage() {
        return noOutage;
    }

    /**
     * Runs the window, moving it on an abort or when off track; returns the outage, or null when
     * everything merged was backed out before it.
     */
    OutageReport run() {
        Instant at = m.windows().main();
        for (int attempt = 1; ; attempt++) {
            m.journal.stage(SCHEDULED);
            Instant reminderAt = at.minus(m.policy().reminderLead());
            if (Clock.now().isBefore(reminderAt)) {
                Workflow.await(Clock.until(reminderAt), m.release::stopped);
                if (m.release.allBackedOut() != null) {
                    return null;
                }
                m.announce.reminder(attempt, at, m.policy(), m.release.outstandingCowboys());
            }
            try {
                OutageReport outage = outage(at, attempt);
                if (outage == null) {
                    return null;
                }
                m.resumeServices();
                return outage;
            } catch (ApplicationFailure e) {
                m.resumeServices();
                boolean abortable = FailureType.ABORTED.name().equals(e.getType())
                        || FailureType.OFF_TRACK.name().equals(e.getType())
                        || FailureType.WINDOW_BUSY.name().equals(e.getType());
                if (!abortable || attempt >= MAX_ATTEMPTS) {
                    m.ending.failed(e);
                    m.journal.end(FAILED, m.ending.message());
                    m.announce.failed(m.ending.message());
                    throw e;
                }
                at = reschedule(e.getOriginalMessage());
            }
        }
    }

    /**
     * Services pause, live patches run, then the outage core, tracked against the plan; null when
     * everything was backed out before services paused.
     */
    private OutageReport outage(Instant at, int attempt) {
        OutageCore core = new OutageCore(m.policy().fast());
        if (m.release.abort() == null) {
            Workflow.await(Clock.until(at.minus(m.policy().servicesPauseLead())), m.release::stopped);
            if (m.release.allBackedOut() != null) {
                return null;
            }
        }
        // Version 1 ("monthly-one-window"): from services paused to the end of its outage the window holds its
        // environment, as a fast window does for its whole life; held by a running window, this one moves on like
        // an abort (WINDOW_BUSY), to the backup window.
        EnvironmentClaim claim = new EnvironmentClaim(m.db, m.environment, m.workflowId);
        if (m.release.abort() == null) {
            claim.claim(Change.MONTHLY_ONE_WINDOW);
        }
        try {
            return outage(core, at, attempt);
        } finally {
            claim.release();
        }
    }

    private OutageReport outage(OutageCore core, Instant at, int attempt) {
        List<PatchCandidate> patches = List.of();
        SealedBundle bundle = null;
        if (m.release.abort() == null) {
            m.journal.stage(SERVICES_PAUSED);
            m.pauseServices();
            ResolvedPatches resolved = toDeploy();
            LivePatches.apply(m.longDb, m.environment, m.workflowId, resolved.live(), m.journal::note);
            patches = resolved.cold();
            if (Seal.applies()) {
                // Exactly the merge's cold patches, rehearsed; a rehearsal failure fails the window before the
                // outage (the monthly deploys its merge or nothing), and nothing cold means no outage at all.
                bundle = Seal.seal(m.longDb, m.environment, patches, false, m.journal);
                List<PatchId> sealed = bundle.ids();
                patches = patches.stream().filter(p -> sealed.contains(p.id())).toList();
                if (bundle.nothingToApply()) {
                    noOutage = resolved.cold().isEmpty()
                            ? "the merge has no cold patch, so no outage was needed"
                                    + (resolved.live().isEmpty() ? "" : " (its live patches were applied)")
                            : "every cold patch of the merge is applied already, so no outage was needed";
                    m.resumeServices();
                    return null;
                }
            }
        }
        double planSeconds = m.plan.budget() == null ? 0 : m.plan.budget().estimateSeconds();
        Duration limit =
                Duration.ofMillis((long) (planSeconds * 1000)).plus(m.policy().offTrackLimit());
        Instant offTrackAt = at.plus(limit);
        // Version 1 ("monthly-clock"): the outage runs on its plan's clock (estimate + off-track limit),
        // not the fast window's budgets, so a long patch is stopped by the off-track rule, not a timeout.
        Duration timeLimit = !Change.MONTHLY_CLOCK.isOn() ? null : limit;
        OutageReport report = core.runAt(
                new OutageRequest(m.environment, m.workflowId + "-" + attempt, patches, null, timeLimit).sealed(bundle),
                at,
                m.release::abort,
                m.journal,
                offTrackAt);
        m.journal.event(
                OUTAGE,
                String.format(
                        "Outage complete: %s, within the plan of %.1f min.",
                        Clock.format(Duration.ofMillis(report.outageMillis())), planSeconds / 60));
        WindowMetrics metrics = new WindowMetrics(m.environment, MonthlyDowntimeWorkflow.TYPE);
        metrics.outage(report);
        metrics.leadTimes(patches, Clock.now());
        return report;
    }

    /**
     * The patches to deploy: exactly the merge's, with the checksums they have in its tree (a
     * difference fails PATCH_CHANGED); pending patches the merge does not have are left out.
     */
    private ResolvedPatches toDeploy() {
        ResolvedPatches pending = m.db.resolvePatches(m.environment, List.of());
        // Version 1 ("merged-exactly"): before it, a window deployed whatever was pending in the folder.
        if (!Change.MERGED_EXACTLY.isOn()) {
            return pending;
        }
        String commit = m.release.mergeCommit();
        MergedPatches merged = MergedPatches.select(m.monthly.mergedPatches(m.environment, commit), pending, commit);
        if (merged.problem() != null) {
            throw ApplicationFailure.newNonRetryableFailure(merged.problem(), FailureType.PATCH_CHANGED.name());
        }
        if (!merged.leftOut().isEmpty()) {
            m.journal.note("Left for a later downtime, not in the merge " + shortSha(commit) + ": "
                    + merged.leftOut().stream().map(Object::toString).collect(Collectors.joining(", ")) + ".");
        }
        return merged.patches();
    }

    /** The next window, said in the timeline and announced; the abort that moved it is spent. */
    private Instant reschedule(String why) {
        MonthlyStage failedStep = m.journal.stage();
        Negotiation.Rescheduled next = m.windows().reschedule(Clock.now());
        m.release.clearAbort();
        Journal.window(next.at());
        m.journal.stage(RESCHEDULED);
        m.journal.note(
                "Aborted at " + failedStep + " (" + why + "); rescheduled to " + next.how() + ": " + next.at() + ".");
        m.announce.rescheduled(next.at(), why, next.how());
        return next.at();
    }

    // ---- 5. after -------------------------------------------------------------------------------

    /** Post-rollout checks, the done announcement, and the watch for incidents. */
    MonthlyDowntimeWorkflow.MonthlyResult watchAfterRollout(OutageReport outage, AfterCommit afterCommit) {
        m.journal.stage(POST_CHECKS);
        try {
            m.window.postChecks(m.environment).forEach(m.journal::note);
        } catch (RuntimeException e) {
            String problem =
                    "post-rollout checks failed: " + WindowFailures.of(e).message();
            m.release.incident(Clock.now() + " fastdowntime: " + problem);
            m.announce.incident("checks", problem);
        }
        List<String> applied =
                outage.applied().stream().map(a -> a.id().toString()).toList();
        m.ending.ended("Rolled out db-stable "
                + shortSha(m.plan.merged())
                + " ("
                + String.join(", ", applied)
                + ") with an outage of "
                + Clock.format(Duration.ofMillis(outage.outageMillis()))
                + "."
                + m.release.outstandingCowboys()
                + (afterCommit == null ? "" : afterCommit.said()));
        if (afterCommit != null) {
            afterCommit.warnings().forEach(m.announce::primaryOnly);
        }
        m.announce.done(m.ending.message());
        m.journal.stage(WATCHING);
        Workflow.await(m.policy().postRolloutWatch(), () -> false);
        m.journal.end(DONE, m.ending.message());
        Workflow.await(Workflow::isEveryHandlerFinished);
        return new MonthlyDowntimeWorkflow.MonthlyResult(
                Outcome.COMPLETED,
                m.ending.message(),
                m.plan.merged(),
                applied,
                outage.outageMillis(),
                m.release.incidents().size());
    }
}
