package org.fastdowntime.model;

/**
 * A DowntimeCalendar's input: the environment, its rules, and (after continue-as-new) its state.
 */
public record CalendarRequest(String environment, CalendarRules rules, CalendarState state) {}
