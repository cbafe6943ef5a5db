package org.fastdowntime.calendar;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.fastdowntime.model.CalendarChange;
import org.fastdowntime.model.CalendarRequest;
import org.fastdowntime.model.CalendarView;
import org.fastdowntime.model.CalendarWindow;

/**
 * One per environment: the timers that open windows by themselves — fast slots, monthly windows,
 * blackouts — with changes made by updates whose validators answer the caller at once.
 */
@WorkflowInterface
public interface DowntimeCalendarWorkflow {
    String TYPE = "DowntimeCalendar";

    /** One calendar per environment: {@code downtime-calendar-ENV}. */
    static String workflowId(String environment) {
        return "downtime-calendar-" + environment;
    }

    @WorkflowMethod(name = TYPE)
    void run(CalendarRequest request);

    @UpdateMethod(name = "addWindow")
    CalendarWindow addWindow(CalendarChange change);

    @UpdateValidatorMethod(updateName = "addWindow")
    void validateAddWindow(CalendarChange change);

    @UpdateMethod(name = "cancelWindow")
    CalendarWindow cancelWindow(CalendarChange change);

    @UpdateValidatorMethod(updateName = "cancelWindow")
    void validateCancelWindow(CalendarChange change);

    @UpdateMethod(name = "moveWindow")
    CalendarWindow moveWindow(CalendarChange change);

    @UpdateValidatorMethod(updateName = "moveWindow")
    void validateMoveWindow(CalendarChange change);

    @UpdateMethod(name = "addBlackout")
    String addBlackout(CalendarChange change);

    @UpdateValidatorMethod(updateName = "addBlackout")
    void validateAddBlackout(CalendarChange change);

    @UpdateMethod(name = "removeBlackout")
    String removeBlackout(CalendarChange change);

    @UpdateValidatorMethod(updateName = "removeBlackout")
    void validateRemoveBlackout(CalendarChange change);

    @UpdateMethod(name = "pause")
    String pause(CalendarChange change);

    @UpdateValidatorMethod(updateName = "pause")
    void validatePause(CalendarChange change);

    @UpdateMethod(name = "resume")
    String resume(CalendarChange change);

    @UpdateValidatorMethod(updateName = "resume")
    void validateResume(CalendarChange change);

    /** The next {@code count} windows with their state, and the recent ones. */
    @QueryMethod(name = "upcoming")
    CalendarView upcoming(int count);
}
