package org.fastdowntime.model;

import java.util.List;

/**
 * The {@code upcoming} query: the next windows with their state, recent ones, and the calendar's
 * counters.
 */
public record CalendarView(
    String environment,
    boolean paused,
    List<String> blackouts,
    List<CalendarWindow> upcoming,
    List<CalendarWindow> recent,
    int windowsRun,
    int windowsSkipped,
    int generation) {}
