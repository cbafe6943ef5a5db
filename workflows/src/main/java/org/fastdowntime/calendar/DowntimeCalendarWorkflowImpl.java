package org.fastdowntime.calendar;

import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Instant;
import org.fastdowntime.downtime.ActivityStubs;
import org.fastdowntime.downtime.Change;
import org.fastdowntime.downtime.Verdicts;
import org.fastdowntime.downtime.WindowFailures;
import org.fastdowntime.downtime.WindowMetrics;
import org.fastdowntime.model.CalendarChange;
import org.fastdowntime.model.CalendarRequest;
import org.fastdowntime.model.CalendarRules;
import org.fastdowntime.model.CalendarView;
import org.fastdowntime.model.CalendarWindow;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.WindowKind;
import org.fastdowntime.model.WindowState;
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
    private final WindowStarter opener;
    private boolean changed;

    @WorkflowInit
    public DowntimeCalendarWorkflowImpl(CalendarRequest request) {
        environment = request == null ? null : request.environment();
        rules = request == null || request.rules() == null ? CalendarRules.launchpad() : request.rules();
        book = new WindowBook(rules, request == null ? null : request.state(), Clock.now());
        changes = new CalendarChanges(book, verdicts, Clock::now);
        opener = new WindowStarter(db, environment, rules.fleet(), book);
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
        // Change "calendar-idle-continue": a run continues as new only when none of the windows it started is still
        // running, so that their ends are recorded in the book (they are reported to the run that started them).
        boolean idle = Change.CALENDAR_IDLE_CONTINUE.isOn();
        int handledThisRun = 0;
        while (true) {
            boolean due =
                    handledThisRun >= WINDOWS_PER_RUN || Workflow.getInfo().isContinueAsNewSuggested();
            if (due && !(idle && book.anyInFlight())) {
                Workflow.await(Workflow::isEveryHandlerFinished);
                log.info("Calendar of {}: continuing as new after {} windows", environment, handledThisRun);
                Workflow.continueAsNew(new CalendarRequest(environment, rules, book.snapshot()));
            }
            java.util.function.Supplier<Boolean> look = () -> changed || (due && !book.anyInFlight());
            CalendarWindow next = book.next();
            changed = false;
            if (next == null) {
                Workflow.await(look::get);
                continue;
            }
            Instant fireAt = book.fireAt(next);
            if (Workflow.await(Clock.until(fireAt), look::get)) {
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
            result = w.kind() == WindowKind.MONTHLY ? opener.startMonthly(w) : opener.startFast(w);
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
