package org.fastdowntime.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a calendar carries across continue-as-new.
 *
 * @param handledUntil windows whose fire time is at or before this are handled
 * @param added windows added by hand
 * @param cancelled ids of cancelled windows
 * @param moved id → new start
 * @param started id → the workflow started for it (announced windows)
 * @param history the most recent handled windows, newest last
 */
public record CalendarState(
        Instant handledUntil,
        List<CalendarWindow> added,
        List<String> cancelled,
        Map<String, Instant> moved,
        Map<String, String> started,
        List<String> blackouts,
        boolean paused,
        List<CalendarWindow> history,
        int windowsRun,
        int windowsSkipped,
        int generation) {}
