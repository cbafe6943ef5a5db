package org.fastdowntime.downtime;

import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.fastdowntime.model.AbortSignal;
import org.fastdowntime.model.EnvironmentPolicy;
import org.fastdowntime.model.EventCode;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.OutageReport;
import org.fastdowntime.model.OutageRequest;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PreflightReport;
import org.fastdowntime.model.TimelineEvent;
import org.fastdowntime.ports.DatabaseActivities;
import org.fastdowntime.ports.OutageActivities;
import org.fastdowntime.time.Clock;
import org.slf4j.Logger;

/**
 * The outage as every downtime workflow runs it: preflight, then the outage activity, with the
 * gate's reopening registered as compensation before the step it undoes. Whatever happens — a patch
 * error, a dead worker, an abort signal, the workflow's cancellation — the gate is reopened in a
 * detached scope, retried until it works, and the caller gets an {@link
 * io.temporal.failure.ApplicationFailure} with a failure type.
 */
public final class OutageCore {
    private static final Logger log = Workflow.getLogger(OutageCore.class);

    private final EnvironmentPolicy policy;
    private List<PatchId> appliedAfterLoss = List.of();
    private final DatabaseActivities db = ActivityStubs.database();
    private final OutageActivities reopen = ActivityStubs.reopen();
    private boolean offTrack;
    private OutageReport failedReport;

    public OutageCore(EnvironmentPolicy policy) {
        this.policy = policy;
    }

    /**
     * What a failed outage applied and recorded nonetheless: the worker running it was lost after COMMIT. Empty
     * when the failure rolled everything back.
     */
    public List<PatchId> appliedAfterLoss() {
        return appliedAfterLoss;
    }

    /**
     * What a failed outage reported of itself once its gate had closed (gate closed and opened, sessions
     * terminated, what failed, what committed), or null when it failed before or was lost.
     */
    public OutageReport failedReport() {
        return failedReport;
    }

    /** The stages the core moves a workflow through; each downtime workflow has both. */
    public enum Step {
        PREFLIGHT,
        OUTAGE
    }

    /** Where the core reports its progress: the calling workflow's stage and timeline. */
    public interface Progress {
        /**
         * The workflow enters {@code step}; {@code message} goes on the timeline at the current
         * workflow time.
         */
        void accept(Step step, EventCode code, String message);

        /** A step the outage activity timed itself, kept with its own timestamp. */
        void record(TimelineEvent step);
    }

    /**
     * Preflight, then the outage at once (how windows recorded before armed outages ran; kept for
     * their replay).
     *
     * @param abort who asked to abort, or null; checked while the outage runs
     * @param stage told "PREFLIGHT", "OUTAGE", with a message for the timeline
     */
    public OutageReport run(OutageRequest request, Supplier<AbortSignal> abort, Progress stage) {
        preflight(request, stage);
        return outage(request, abort, stage, null);
    }

    /**
     * The outage on time: preflight {@code preflightLead} before the window, then the outage activity
     * armed {@code armLead} before it — it opens its connections and checks the files, then closes
     * the gate on its own clock at {@code windowStart}, so no timer, workflow task or dispatch delay
     * falls inside the window.
     */
    public OutageReport runAt(OutageRequest request, Instant windowStart, Supplier<AbortSignal> abort, Progress stage) {
        return runAt(request, windowStart, abort, stage, null);
    }

    /**
     * As {@link #runAt(OutageRequest, Instant, Supplier, Progress)}; when the outage is still running
     * at {@code offTrackAt}, it is aborted (rolled back, gate reopened) with failure type OFF_TRACK.
     */
    public OutageReport runAt(
            OutageRequest request,
            Instant windowStart,
            Supplier<AbortSignal> abort,
            Progress stage,
            Instant offTrackAt) {
        waitUnlessAborted(windowStart.minus(policy.preflightLead()), abort);
        preflight(request, stage);
        waitUnlessAborted(windowStart.minus(policy.armLead()), abort);
        return outage(request.armedAt(windowStart), abort, stage, offTrackAt);
    }

    private static void waitUnlessAborted(Instant until, Supplier<AbortSignal> abort) {
        if (Workflow.await(Clock.until(until), () -> abort.get() != null)) {
            AbortSignal a = abort.get();
            throw WindowFailures.fail(
                    FailureType.ABORTED,
                    "Aborted by " + a.by() + " before the outage: " + a.reason() + ". Nothing was changed.");
        }
    }

    private void preflight(OutageRequest request, Progress stage) {
        stage.accept(Step.PREFLIGHT, EventCode.PREFLIGHT_STARTED, "Preflight checks on " + request.environment() + ".");
        PreflightReport preflight;
        try {
            preflight = db.preflight(request.environment());
        } catch (RuntimeException e) {
            WindowFailures.Reason r = WindowFailures.of(e);
            throw WindowFailures.fail(r.type(), "Preflight failed, nothing was changed: " + r.message());
        }
        stage.accept(
                Step.PREFLIGHT,
                EventCode.PREFLIGHT_PASSED,
                "Preflight passed: " + String.join("; ", preflight.passed()) + ".");
    }

    private OutageReport outage(
            OutageRequest request, Supplier<AbortSignal> abort, Progress stage, Instant offTrackAt) {
        OutageActivities outage = ActivityStubs.outage(policy, request.timeLimit());
        Promise<OutageReport>[] result = new Promise[1];
        CancellationScope scope =
                Workflow.newCancellationScope(() -> result[0] = Async.function(outage::outage, request));
        stage.accept(
                Step.OUTAGE,
                request.notBefore() == null ? EventCode.OUTAGE_STARTED : EventCode.OUTAGE_ARMED,
                request.notBefore() == null
                        ? "Outage starts: closing the gate to " + request.environment() + "."
                        : "Outage armed: the gate of "
                                + request.environment()
                                + " closes at "
                                + request.notBefore()
                                + ".");
        try {
            scope.run();
            if (offTrackAt == null) {
                Workflow.await(() -> result[0].isCompleted() || abort.get() != null);
            } else if (!Workflow.await(Clock.until(offTrackAt), () -> result[0].isCompleted() || abort.get() != null)) {
                offTrack = true;
            }
            if (!result[0].isCompleted()) {
                AbortSignal a = abort.get();
                scope.cancel(a != null ? "abort by " + a.by() + ": " + a.reason() : "off track");
            }
            OutageReport report = result[0].get();
            report.steps().forEach(stage::record);
            return report;
        } catch (RuntimeException e) {
            throw failed(e, request, abort, stage, result[0], offTrackAt);
        }
    }

    /**
     * The outage failed, was aborted, went off track or the workflow was cancelled: waits for the activity to
     * end, reopens the gate (compensation), and returns what the workflow fails with.
     */
    private RuntimeException failed(
            RuntimeException e,
            OutageRequest request,
            Supplier<AbortSignal> abort,
            Progress stage,
            Promise<OutageReport> result,
            Instant offTrackAt) {
        AbortSignal a = abort.get();
        WindowFailures.Reason r = WindowFailures.of(e);
        String type = a != null
                ? FailureType.ABORTED.name()
                : offTrack
                        ? FailureType.OFF_TRACK.name()
                        : e instanceof CanceledFailure ? FailureType.CANCELLED.name() : known(r.type());
        String message = a != null
                ? "aborted by " + a.by() + ": " + a.reason()
                : offTrack
                        ? "still running at " + offTrackAt + ", more than the allowed time past its plan"
                        : known(r.type()).equals(r.type()) ? r.message() : r.type() + ": " + r.message();
        awaitActivityEnd(result);
        failedReport = reportOf(e);
        if (failedReport != null) {
            failedReport.steps().forEach(stage::record);
        }
        reopenGate(request, stage);
        if (e instanceof CanceledFailure && a == null && !offTrack) {
            return e; // the workflow itself was cancelled: end as cancelled, after the compensation
        }
        return told(type, message, request);
    }

    /**
     * What a failed outage is told as: what committed is applied, never "rolled back" (from the outage's report,
     * or asked of the database where the report was lost); "rolled back" only where there was something to roll
     * back.
     */
    private ApplicationFailure told(String type, String message, OutageRequest request) {
        if (failedReport != null && !failedReport.applied().isEmpty()) {
            // The outage committed, then failed (a gate that would not open): applied, never "rolled back".
            appliedAfterLoss = failedReport.applied().stream()
                    .map(org.fastdowntime.model.AppliedPatch::id)
                    .toList();
            return WindowFailures.fail(type, "The outage " + message + "; the gate was reopened by compensation.");
        }
        // Change "ask-what-committed": a connection lost around COMMIT or a gate that failed is asked of the
        // database, like a lost worker: what committed is said as applied.
        boolean ask =
                (type.equals(FailureType.DATABASE_UNREACHABLE.name()) || type.equals(FailureType.GATE_FAILED.name()))
                        && failedReport == null
                        && Change.ASK_WHAT_COMMITTED.isOn();
        // Change "lost-outage-check": a worker lost after COMMIT leaves the patches applied; say so instead of
        // "rolled back".
        ask = ask || (type.equals(FailureType.OUTAGE_LOST.name()) && Change.LOST_OUTAGE_CHECK.isOn());
        boolean nothingCommitted = false; // the database, asked, had recorded nothing of the window
        if (ask) {
            List<PatchId> applied = appliedBy(request);
            nothingCommitted = applied.isEmpty();
            if (!applied.isEmpty()) {
                appliedAfterLoss = applied;
                String what = type.equals(FailureType.OUTAGE_LOST.name())
                        ? "The worker running the outage was lost after COMMIT ("
                        : "The outage failed after COMMIT (";
                return WindowFailures.fail(
                        type,
                        what + message + "): " + PatchId.join(applied)
                                + " applied and recorded; the gate was reopened by compensation.");
            }
        }
        // Rolled back once its gate had closed (its report says so), or stopped before closing it (its message
        // says so): "rolled back" only where there was something to roll back.
        return WindowFailures.fail(
                type,
                failedReport != null || nothingCommitted
                        ? "The outage failed and was rolled back (" + message + ")."
                        : "The outage failed (" + message + ").");
    }

    /** The report a failed outage activity attached to its failure, if any. */
    private static OutageReport reportOf(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.temporal.failure.ApplicationFailure af
                    && af.getDetails().getSize() > 0) {
                try {
                    return af.getDetails().get(OutageReport.class);
                } catch (RuntimeException notAReport) {
                    return null;
                }
            }
        }
        return null;
    }

    /** A failure type of ours, or OUTAGE_LOST for anything else (an SDK or worker failure). */
    private static String known(String type) {
        for (FailureType t : FailureType.values()) {
            if (t.name().equals(type)) {
                return type;
            }
        }
        return FailureType.OUTAGE_LOST.name();
    }

    /**
     * When the workflow itself is cancelled, waits (detached) until the outage activity has rolled
     * back or been declared dead by its heartbeat timeout, so the compensation cannot race the
     * activity's own last steps.
     */
    private static void awaitActivityEnd(Promise<OutageReport> activity) {
        if (activity == null || activity.isCompleted()) {
            return;
        }
        Workflow.newDetachedCancellationScope(() -> {
                    try {
                        activity.get();
                    } catch (RuntimeException ignored) {
                        // its failure is already being handled
                    }
                })
                .run();
    }

    private List<PatchId> appliedBy(OutageRequest request) {
        try {
            return db.appliedBy(request.environment(), request.deploymentId());
        } catch (RuntimeException e) {
            log.warn(
                    "Could not read what {} applied: {}",
                    request.deploymentId(),
                    WindowFailures.of(e).message());
            return List.of();
        }
    }

    private void reopenGate(OutageRequest request, Progress stage) {
        Workflow.newDetachedCancellationScope(() -> {
                    reopen.reopenGate(request.environment(), request.deploymentId());
                    stage.accept(
                            Step.OUTAGE,
                            EventCode.GATE_REOPENED_BY_COMPENSATION,
                            "Gate reopened by compensation; connections restored.");
                    log.info("Gate of {} reopened by compensation", request.environment());
                })
                .run();
    }
}
