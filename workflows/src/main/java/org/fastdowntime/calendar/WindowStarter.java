package org.fastdowntime.calendar;

import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.List;
import org.fastdowntime.downtime.WindowFailures;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.fleet.FleetDowntimeWorkflow;
import org.fastdowntime.model.CalendarWindow;
import org.fastdowntime.model.FastDowntimeRequest;
import org.fastdowntime.model.FleetDowntimeRequest;
import org.fastdowntime.model.FleetStage;
import org.fastdowntime.model.MonthlyDowntimeRequest;
import org.fastdowntime.model.Outcome;
import org.fastdowntime.model.ResolvedPatches;
import org.fastdowntime.model.WindowState;
import org.fastdowntime.monthly.MonthlyDowntimeWorkflow;
import org.fastdowntime.ports.DatabaseActivities;

/**
 * Starts a window's downtime as an abandoned child workflow (it outlives the calendar's run), and writes its
 * ending in the book when it ends. Workflow code.
 */
final class WindowStarter {
    private final DatabaseActivities db;
    private final String environment;
    /** The fleet whose windows the fast slots open, or null for the environment's own fast windows. */
    private final String fleet;

    private final WindowBook book;

    WindowStarter(DatabaseActivities db, String environment, String fleet, WindowBook book) {
        this.db = db;
        this.environment = environment;
        this.fleet = fleet;
        this.book = book;
    }

    CalendarWindow startFast(CalendarWindow w) {
        if (fleet != null) {
            return startFleet(w);
        }
        ResolvedPatches pending;
        try {
            pending = db.resolvePatches(environment, List.of());
        } catch (RuntimeException e) {
            return w.with(
                    WindowState.FAILED,
                    null,
                    "cannot resolve the patches: " + WindowFailures.of(e).message());
        }
        if (pending.cold().isEmpty()) {
            return w.with(WindowState.NOTHING_TO_DEPLOY, null, "no pending cold patch");
        }
        String id = FastDowntimeWorkflow.workflowId(environment, w.start());
        FastDowntimeWorkflow child = Workflow.newChildWorkflowStub(FastDowntimeWorkflow.class, childOptions(id));
        Promise<Ended> done = Async.function(
                        child::run,
                        new FastDowntimeRequest(environment, w.start().toString(), List.of()))
                .handle((r, e) -> Ended.of(e == null ? r.outcome() : null, e == null ? r.message() : null, e));
        return launched(
                w,
                id,
                Workflow.getWorkflowExecution(child),
                done,
                pending.cold().size() + " pending cold patch(es)");
    }

    /** A fleet window: it surveys its members itself, and skips when none has anything pending. */
    private CalendarWindow startFleet(CalendarWindow w) {
        String id = FleetDowntimeWorkflow.workflowId(fleet, org.fastdowntime.time.Clock.compact(w.start()));
        FleetDowntimeWorkflow child = Workflow.newChildWorkflowStub(FleetDowntimeWorkflow.class, childOptions(id));
        Promise<Ended> done = Async.function(
                        child::run, new FleetDowntimeRequest(fleet, w.start().toString()))
                .handle((r, e) -> e != null
                        ? Ended.of(null, null, e)
                        : Ended.of(
                                r.stage() == FleetStage.SKIPPED ? Outcome.SKIPPED : Outcome.COMPLETED,
                                r.message(),
                                null));
        return launched(w, id, Workflow.getWorkflowExecution(child), done, "fleet " + fleet);
    }

    CalendarWindow startMonthly(CalendarWindow w) {
        String id = MonthlyDowntimeWorkflow.workflowId(environment, w.start());
        MonthlyDowntimeWorkflow child = Workflow.newChildWorkflowStub(MonthlyDowntimeWorkflow.class, childOptions(id));
        Promise<Ended> done = Async.function(
                        child::run,
                        new MonthlyDowntimeRequest(
                                environment, w.start().toString(), w.backup().toString(), null, List.of(), List.of()))
                .handle((r, e) -> Ended.of(e == null ? r.outcome() : null, e == null ? r.message() : null, e));
        return launched(
                w, id, Workflow.getWorkflowExecution(child), done, "main " + w.start() + ", backup " + w.backup());
    }

    /** How a window's downtime ended. */
    private record Ended(WindowState state, String note) {
        static Ended of(Outcome outcome, String message, Throwable failure) {
            return failure == null
                    ? new Ended(WindowState.of(outcome), message)
                    : new Ended(WindowState.FAILED, WindowFailures.of(failure).message());
        }
    }

    private CalendarWindow launched(CalendarWindow w, String id, Promise<?> start, Promise<Ended> end, String note) {
        try {
            start.get();
        } catch (RuntimeException e) {
            return w.with(
                    WindowState.FAILED,
                    id,
                    "could not start " + id + ": " + WindowFailures.of(e).message());
        }
        end.thenApply(o -> {
            book.ended(w.id(), o.state(), id, o.note());
            return null;
        });
        return w.with(WindowState.STARTED, id, note);
    }

    private static ChildWorkflowOptions childOptions(String id) {
        // The windows outlive a calendar run (continue-as-new) and must survive its end: they are
        // abandoned, not owned.
        return ChildWorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                .build();
    }
}
