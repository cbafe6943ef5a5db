package org.fastdowntime.model;

import java.util.List;

/**
 * The {@code upcoming} query: the next windows with their state, recent ones, the calendar's
 * counters, and every change people made in this run (who, what, or why it was refused).
 */
public record CalendarView(
        String environment,
        boolean paused,
        List<String> blackouts,
        List<CalendarWindow> upcoming,
        List<CalendarWindow> recent,
        int windowsRun,
        int windowsSkipped,
        int generation,
        List<SignalRecord> changes) {}
