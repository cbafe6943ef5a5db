package org.fastdowntime.model;

/**
 * Payload of the calendar's updates: {@code addWindow {kind, start, by}}, {@code cancelWindow {start, by}},
 * {@code moveWindow {start, newStart, by}}, {@code addBlackout {from, to, by}}, {@code removeBlackout {from, to,
 * by}}, {@code pause {by}}, {@code resume {by}}.
 */
public record CalendarChange(String kind, String start, String newStart, String from, String to, String by) {}
