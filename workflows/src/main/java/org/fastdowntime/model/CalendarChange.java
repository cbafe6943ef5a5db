package org.fastdowntime.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Payload of the calendar's updates: {@code addWindow {kind, start, by}}, {@code cancelWindow
 * {start, by}}, {@code moveWindow {start, newStart, by}}, {@code addBlackout {from, to, by}},
 * {@code removeBlackout {from, to, by}}, {@code pause {by}}, {@code resume {by}}.
 */
public record CalendarChange(String kind, String start, String newStart, String from, String to, String by) {
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static CalendarChange decode(JsonNode n) {
        Lenient.Fields f = Lenient.fields(n);
        return new CalendarChange(
                f.text("kind"), f.text("start"), f.text("newStart"), f.text("from"), f.text("to"), f.text("by"));
    }

    /** {@code addWindow}: a window of {@code kind} (FAST or MONTHLY) at {@code start}. */
    public static CalendarChange addWindow(String kind, String start, String by) {
        return new CalendarChange(kind, start, null, null, null, by);
    }

    /** {@code cancelWindow}: the window at {@code start}. */
    public static CalendarChange cancelWindow(String start, String by) {
        return new CalendarChange(null, start, null, null, null, by);
    }

    /** {@code moveWindow}: the window at {@code start} to {@code newStart}. */
    public static CalendarChange moveWindow(String start, String newStart, String by) {
        return new CalendarChange(null, start, newStart, null, null, by);
    }

    /** {@code addBlackout} / {@code removeBlackout}: a day, or days {@code from..to} ({@code to} may be null). */
    public static CalendarChange blackout(String from, String to, String by) {
        return new CalendarChange(null, null, null, from, to, by);
    }

    /** {@code pause} / {@code resume}. */
    public static CalendarChange by(String by) {
        return new CalendarChange(null, null, null, null, null, by);
    }

    /** What is wrong with the payload's values (wrong JSON type, too long), or null. */
    public String invalid() {
        return Lenient.first(kind, start, newStart, from, to, by);
    }
}
