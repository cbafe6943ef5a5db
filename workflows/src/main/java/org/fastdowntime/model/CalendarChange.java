package org.fastdowntime.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * Payload of the calendar's updates: {@code addWindow {kind, start, by}}, {@code cancelWindow {start, by}},
 * {@code moveWindow {start, newStart, by}}, {@code addBlackout {from, to, by}}, {@code removeBlackout {from, to,
 * by}}, {@code pause {by}}, {@code resume {by}}.
 */
public record CalendarChange(
    @JsonDeserialize(using = Lenient.Text.class) String kind,
    @JsonDeserialize(using = Lenient.Text.class) String start,
    @JsonDeserialize(using = Lenient.Text.class) String newStart,
    @JsonDeserialize(using = Lenient.Text.class) String from,
    @JsonDeserialize(using = Lenient.Text.class) String to,
    @JsonDeserialize(using = Lenient.Text.class) String by) {

  /** What is wrong with the payload's values (wrong JSON type, too long), or null. */
  public String invalid() {
    return Lenient.first("kind", kind, "start", start, "newStart", newStart, "from", from, "to", to, "by", by);
  }
}
