package org.fastdowntime.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Payload of {@code qaOk}, {@code qaBad} and {@code signOff}: {@code
 * {"patch":"2211-30-0","by":"alice","note":"…"}}, or several patches at once with {@code
 * "patches":["2211-30-0","2211-31-0"]}. {@code reason} is read for {@code qaBad} (either field may carry it).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QaSignal(String patch, String by, String note, String reason, List<String> patches) {
    public QaSignal(String patch, String by, String note, String reason) {
        this(patch, by, note, reason, null);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static QaSignal decode(JsonNode n) {
        Lenient.Fields f = Lenient.fields(n);
        return new QaSignal(f.text("patch"), f.text("by"), f.text("note"), f.text("reason"), f.list("patches"));
    }

    /** The same word on several patches. */
    public static QaSignal of(List<String> patches, String by, String note, String reason) {
        return new QaSignal(null, by, note, reason, List.copyOf(patches));
    }

    /** What is wrong with the payload's values (wrong JSON type, too long), or null. */
    public String invalid() {
        String p = Lenient.first(patch, by, note, reason);
        if (p == null && patches != null) {
            p = Lenient.first(patches.toArray(String[]::new));
        }
        return p;
    }

    /** Whether it names several patches ({@code "patches"}). */
    public boolean several() {
        return patches != null;
    }

    /** One payload per patch named, {@code "patch"} first, then {@code "patches"} in order. */
    public List<QaSignal> each() {
        List<QaSignal> out = new ArrayList<>();
        if (patch != null) {
            out.add(new QaSignal(patch, by, note, reason));
        }
        if (patches != null) {
            patches.forEach(p -> out.add(new QaSignal(p, by, note, reason)));
        }
        return out.isEmpty() ? List.of(new QaSignal(null, by, note, reason)) : out;
    }
}
