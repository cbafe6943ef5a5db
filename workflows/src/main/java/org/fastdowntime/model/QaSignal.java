package org.fastdowntime.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Payload of {@code qaOk}, {@code qaBad} and {@code signOff}: {@code
 * {"patch":"2211-30-0","by":"alice","note":"…"}}. {@code reason} is read for {@code qaBad} (either
 * field may carry it).
 */
public record QaSignal(String patch, String by, String note, String reason) {
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static QaSignal decode(JsonNode n) {
        Lenient.Fields f = Lenient.fields(n);
        return new QaSignal(f.text("patch"), f.text("by"), f.text("note"), f.text("reason"));
    }

    /** What is wrong with the payload's values (wrong JSON type, too long), or null. */
    public String invalid() {
        return Lenient.first(patch, by, note, reason);
    }
}
