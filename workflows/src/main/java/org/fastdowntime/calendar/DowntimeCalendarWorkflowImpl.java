package org.fastdowntime.calendar;

import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Instant;
import java.util.List;
import org.fastdowntime.downtime.ActivityStubs;
import org.fastdowntime.downtime.Verdicts;
import org.fastdowntime.downtime.WindowFailures;
import org.fastdowntime.downtime.WindowMetrics;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.model.CalendarChange;
import org.fastdowntime.model.CalendarRequest;
import org.fastdowntime.model.CalendarRules;
import org.fastdowntime.model.CalendarView;
import org.fastdowntime.model.CalendarWindow;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.FastDowntimeRequest;
import org.fastdowntime.model.MonthlyDowntimeRequest;
import org.fastdowntime.model.Outcome;
import org.fastdowntime.model.ResolvedPatches;
import org.fastdowntime.model.WindowKind;
import org.fastdowntime.model.WindowState;
import org.fastdowntime.monthly.MonthlyDowntimeWorkflow;
import org.fastdowntime.ports.DatabaseActivities;
import org.fastdowntime.time.Clock;
import org.slf4j.Logger;

/**
 * The Temporal shell of a calendar: a loop of timers that opens each window of its {@link
 * WindowBook} as a child workflow, validated updates that change the book, and the upcoming query.
 * It continues as new every {@value #WINDOWS_PER_RUN} windows, carrying the book.
 */
public class DowntimeCalendarWorkflowImpl implements DowntimeCalendarWorkflow {
    private static final Logger log = Workflow.getLogger(DowntimeCalendarWorkflowImpl.class);

    /** Windows handled per run before continue-as-new keeps the history short. */
    public static final int WINDOWS_PER_RUN = 100;

    private final DatabaseActivities db = ActivityStubs.database();
    private final String environment;
    private final CalendarRules rules;
    private final WindowBook book;
    private final Verdicts verdicts = new Verdicts(Clock::now, t -> log.info("Calendar: {}", t), log);
    private final CalendarChanges changes;
    private boolean changed;

    @WorkflowInit
    public DowntimeCalendarWorkflowImpl(CalendarRequest request) {
        environment = request == null ? null : request.environment();
        rules = request == null || request.rules() == null ? CalendarRules.launchpad() : request.rules();
        book = new WindowBook(rules, request == null ? null : request.state(), Clock.now());
        changes = new CalendarChanges(book, verdicts, Clock::now);
    }

    @Override
    public void run(CalendarRequest request) {
        if (environment == null || environment.isBlank()) {
            throw WindowFailures.fail(FailureType.BAD_INPUT, "the input needs an \"environment\"");
        }
        try {
            Slots.validate(rules);
        } catch (RuntimeException e) {
            throw WindowFailures.fail(FailureType.BAD_INPUT, "bad calendar rules: " + e.getMessage());
        }
        try {
            changes.policy(db.loadPolicy(environment));
        } catch (RuntimeException e) {
            WindowFailures.Reason r = WindowFailures.of(e);
            throw WindowFailures.fail(r.type(), r.message());
        }
        int handledThisRun = 0;
        while (true) {
            if (handledThisRun >= WINDOWS_PER_RUN || Workflow.getInfo().isContinueAsNewSuggested()) {
                Workflow.await(Workflow::isEveryHandlerFinished);
                log.info("Calendar of {}: continuing as new after {} windows", environment, handledThisRun);
                Workflow.continueAsNew(new CalendarRequest(environment, rules, book.snapshot()));
            }
            CalendarWindow next = book.next();
            changed = false;
            if (next == null) {
                Workflow.await(() -> changed);
                continue;
            }
            Instant fireAt = book.fireAt(next);
            if (Workflow.await(Clock.until(fireAt), () -> changed)) {
                continue; // the calendar changed: look again
            }
            book.handled(next, open(next), fireAt);
            handledThisRun++;
        }
    }

    // ---- opening a window ---------------------------------------------------------------------

    /** Opens a window that came: its downtime starts, or the window says why not. */
    private CalendarWindow open(CalendarWindow w) {
        CalendarWindow result = book.refusal(w, Clock.now());
        if (result == null) {
            result = w.kind() == WindowKind.MONTHLY ? startMonthly(w) : startFast(w);
        }
        if (result.state() != WindowState.STARTED) {
            new WindowMetrics(environment, DowntimeCalendarWorkflow.TYPE).notStarted(result.state());
        }
        log.info(
                "Calendar of {}: {} {} — {}{}",
                environment,
                w.kind(),
                w.start(),
                result.state(),
                result.note() == null ? "" : " (" + result.note() + ")");
        return result;
    }

    private CalendarWindow startFast(CalendarWindow w) {
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

    private CalendarWindow startMonthly(CalendarWindow w) {
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

    // ---- updates: the validator answers at once; the handler changes the book -------------------

    /** A change that arrived before the policy was loaded waits for it, then is judged. */
    private CalendarChanges ready() {
        Workflow.await(changes::ready);
        return changes;
    }

    private <T> T changed(T result) {
        changed = true;
        return result;
    }

    private static void cancelChild(String workflowId) {
        if (workflowId != null) {
            Workflow.newUntypedExternalWorkflowStub(workflowId).cancel();
        }
    }

    @Override
    public void validateAddWindow(CalendarChange c) {
        changes.checkAdd(c);
    }

    @Override
    public CalendarWindow addWindow(CalendarChange c) {
        return changed(ready().add(c));
    }

    @Override
    public void validateCancelWindow(CalendarChange c) {
        changes.checkCancel(c);
    }

    @Override
    public CalendarWindow cancelWindow(CalendarChange c) {
        CalendarWindow out = ready().cancel(c);
        cancelChild(out.workflowId());
        return changed(out);
    }

    @Override
    public void validateMoveWindow(CalendarChange c) {
        changes.checkMove(c);
    }

    @Override
    public CalendarWindow moveWindow(CalendarChange c) {
        CalendarChanges.Moved m = ready().move(c);
        cancelChild(m.startedWorkflow());
        return changed(m.window());
    }

    @Override
    public void validateAddBlackout(CalendarChange c) {
        changes.checkAddBlackout(c);
    }

    @Override
    public String addBlackout(CalendarChange c) {
        return changed(ready().addBlackout(c));
    }

    @Override
    public void validateRemoveBlackout(CalendarChange c) {
        changes.checkRemoveBlackout(c);
    }

    @Override
    public String removeBlackout(CalendarChange c) {
        return changed(ready().removeBlackout(c));
    }

    @Override
    public void validatePause(CalendarChange c) {
        changes.checkPause(c, true);
    }

    @Override
    public String pause(CalendarChange c) {
        return changed(ready().pause(c, true));
    }

    @Override
    public void validateResume(CalendarChange c) {
        changes.checkPause(c, false);
    }

    @Override
    public String resume(CalendarChange c) {
        return changed(ready().pause(c, false));
    }

    // ---- query --------------------------------------------------------------------------------

    @Override
    public CalendarView upcoming(int count) {
        int n = Math.max(1, Math.min(count, 1000));
        return new CalendarView(
                environment,
                book.paused(),
                book.blackouts(),
                book.upcoming(n, Clock.now()),
                book.recent(20),
                book.windowsRun(),
                book.windowsSkipped(),
                book.generation(),
                verdicts.all());
    }
}
