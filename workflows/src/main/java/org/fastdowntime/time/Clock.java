package org.fastdowntime.time;

import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Workflow time, only through {@link Workflow#currentTimeMillis()}, so it replays
 * deterministically.
 */
public final class Clock {
    private Clock() {}

    public static Instant now() {
        return Instant.ofEpochMilli(Workflow.currentTimeMillis());
    }

    /** Time left until {@code t}; zero when it has passed. */
    public static Duration until(Instant t) {
        Duration d = Duration.between(now(), t);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** {@code 20261201T0830Z}: a minute in UTC, as workflow ids carry it. */
    public static String compact(Instant t) {
        return COMPACT.format(t);
    }

    private static final java.time.format.DateTimeFormatter COMPACT =
            java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(java.time.ZoneOffset.UTC);

    /** {@code 00:00:02.41}, as Launchpad logged outage durations. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        return String.format(
                Locale.ROOT,
                "%02d:%02d:%02d.%02d",
                ms / 3_600_000,
                (ms / 60_000) % 60,
                (ms / 1000) % 60,
                (ms % 1000) / 10);
    }
}
