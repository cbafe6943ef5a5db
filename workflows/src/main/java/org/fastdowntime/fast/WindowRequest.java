package org.fastdowntime.fast;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.fastdowntime.model.FastDowntimeRequest;
import org.fastdowntime.model.PatchId;

/**
 * A FastDowntime's input, checked: the window start (null for "now") and the patches asked for, or
 * what is wrong with them, in words a person can act on. The window's problems come first: its
 * start is known (and shown) before the patches are read.
 */
public record WindowRequest(Instant windowStart, List<PatchId> patches, String windowProblem, String patchesProblem) {

    public static WindowRequest check(FastDowntimeRequest request, String environment, Instant now) {
        if (request != null && request.invalid() != null) {
            return problem("bad input: " + request.invalid());
        }
        if (request == null || environment == null || environment.isBlank()) {
            return problem("the input needs an \"environment\", e.g. {\"environment\":\"production\"}");
        }
        Instant start = null;
        String at = request.windowStart();
        if (at != null && !at.isBlank() && !at.equalsIgnoreCase("now")) {
            try {
                start = OffsetDateTime.parse(at).toInstant();
            } catch (DateTimeParseException e) {
                return problem("\"windowStart\" must be an ISO-8601 time with an offset, e.g."
                        + " 2026-12-01T08:30:00Z (got \""
                        + at
                        + "\")");
            }
            if (start.isBefore(now.minus(Duration.ofMinutes(1)))) {
                return problem("\"windowStart\" " + at + " is in the past");
            }
        }
        List<PatchId> ids = new ArrayList<>();
        for (String p : request.patches()) {
            try {
                ids.add(PatchId.parse(p));
            } catch (IllegalArgumentException e) {
                return new WindowRequest(start, List.of(), null, "\"patches\": " + e.getMessage());
            }
        }
        return new WindowRequest(start, ids, null, null);
    }

    /**
     * QA closes {@code qaLead} before the window (at once if that has passed); a window without a start waits
     * at most {@code qaLead} for QA.
     */
    public static Instant qaDeadline(Instant windowStart, Instant started, Duration qaLead) {
        if (windowStart == null) {
            return started.plus(qaLead);
        }
        Instant deadline = windowStart.minus(qaLead);
        return deadline.isBefore(started) ? windowStart : deadline;
    }

    private static WindowRequest problem(String why) {
        return new WindowRequest(null, List.of(), why, null);
    }
}
