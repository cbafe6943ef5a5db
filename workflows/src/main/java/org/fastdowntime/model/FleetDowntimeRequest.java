package org.fastdowntime.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The one JSON input of a fleet window, as typed in the Temporal UI: {@code {"fleet":"shards",
 * "windowStart":"2026-12-08T06:00:00Z"}}. Only the fleet is required; {@code mode} ({@code waves} or {@code atomic})
 * and {@code parallelism} override the fleet's configured ones for this window.
 *
 * @param windowStart ISO-8601 instant; absent, empty or "now" = as soon as QA is done
 */
public record FleetDowntimeRequest(String fleet, String windowStart, String mode, Integer parallelism) {
    public FleetDowntimeRequest(String fleet, String windowStart) {
        this(fleet, windowStart, null, null);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static FleetDowntimeRequest decode(JsonNode n) {
        Lenient.Fields f = Lenient.fields(n);
        // The fleet is read first: a payload that is no object says so through it.
        String fleet = f.text("fleet");
        String windowStart = f.text("windowStart");
        String mode = f.text("mode");
        String p = f.text("parallelism");
        Integer parallelism = null;
        if (p != null) {
            try {
                parallelism = Integer.valueOf(p.trim());
            } catch (NumberFormatException e) {
                parallelism = Integer.MIN_VALUE;
            }
        }
        return new FleetDowntimeRequest(fleet, windowStart, mode, parallelism);
    }

    /** What is wrong with the input (missing fleet, unknown mode, parallelism below 1), or null. */
    public String invalid() {
        String p = Lenient.first(fleet, windowStart, mode);
        if (p != null) {
            return p;
        }
        if (fleet == null || fleet.isBlank()) {
            return "a fleet is required: {\"fleet\":\"NAME\"}";
        }
        if (mode != null && !mode.isBlank() && FleetMode.parse(mode) == null) {
            return "mode '" + mode + "' is neither waves nor atomic";
        }
        if (parallelism != null && parallelism < 1) {
            return "parallelism must be a whole number of at least 1";
        }
        return null;
    }
}
