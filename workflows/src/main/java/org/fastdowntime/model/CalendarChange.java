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

    /** What is wrong with the payload's values (wrong JSON type, too long), or null. */
    public String invalid() {
        return Lenient.first("kind", kind, "start", start, "newStart", newStart, "from", from, "to", to, "by", by);
    }
}
