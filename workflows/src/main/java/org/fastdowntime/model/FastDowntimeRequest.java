package org.fastdowntime.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The one JSON input of a FastDowntime window, as typed in the Temporal UI: {@code
 * {"environment":"production","windowStart":"2026-12-01T08:30:00Z","patches":["2211-30-0"]}}. Only
 * the environment is required. Fields are decoded leniently (see {@link Lenient}), so a value of
 * the wrong type becomes a clear BAD_INPUT failure instead of a workflow task that cannot even
 * decode its input.
 *
 * @param windowStart ISO-8601 instant; absent, empty or "now" = as soon as QA is done
 * @param patches the cold patches this window may apply; absent = every pending cold patch
 */
public record FastDowntimeRequest(String environment, String windowStart, List<String> patches) {
    public FastDowntimeRequest {
        patches = patches == null ? List.of() : List.copyOf(patches);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static FastDowntimeRequest decode(JsonNode n) {
        Lenient.Fields f = Lenient.fields(n);
        return new FastDowntimeRequest(f.text("environment"), f.text("windowStart"), f.list("patches"));
    }

    /** What is wrong with the input's values (wrong JSON type, too long), or null. */
    public String invalid() {
        String p = Lenient.first(environment, windowStart);
        for (String id : patches) {
            p = p != null ? p : Lenient.problem(id);
        }
        return p;
    }
}
