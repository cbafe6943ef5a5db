package org.fastdowntime.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;

/** Payload of {@code abort}: {@code {"reason":"…","by":"…"}}. */
public record AbortSignal(String reason, String by) {
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static AbortSignal decode(JsonNode n) {
        Lenient.Fields f = Lenient.fields(n);
        return new AbortSignal(f.text("reason"), f.text("by"));
    }

    /** What is wrong with the payload's values (wrong JSON type, too long), or null. */
    public String invalid() {
        return Lenient.first(reason, by);
    }
}
