package org.fastdowntime.gate;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fastdowntime.model.OutagePhase;

/**
 * Times the outage's phases: each {@link #end} closes the phase under way under its name, with the moment it
 * started; {@link #restart} starts the next one now (time spent waiting, such as an armed outage's sleep,
 * belongs to no phase).
 */
final class PhaseStopwatch {
    private final Map<String, Long> millis = new LinkedHashMap<>();
    private final Map<String, Instant> startedAt = new LinkedHashMap<>();
    private long start = System.nanoTime();
    private Instant startInstant = Instant.now();

    /** Starts the next phase now. */
    void restart() {
        start = System.nanoTime();
        startInstant = Instant.now();
    }

    /** Ends the phase under way as {@code phase}, and starts the next one. */
    void end(OutagePhase phase) {
        long now = System.nanoTime();
        millis.put(phase.label(), (now - start) / 1_000_000);
        startedAt.put(phase.label(), startInstant.truncatedTo(ChronoUnit.MILLIS));
        start = now;
        startInstant = Instant.now();
    }

    /**
     * Ends the phase under way as two: {@code first} for its first {@code firstNanos} (timed elsewhere: by the
     * server, for a statement sent with others), then {@code second} for the rest.
     */
    void endSplit(OutagePhase first, long firstNanos, OutagePhase second) {
        long now = System.nanoTime();
        long head = Math.max(0, Math.min(firstNanos, now - start));
        millis.put(first.label(), head / 1_000_000);
        startedAt.put(first.label(), startInstant.truncatedTo(ChronoUnit.MILLIS));
        millis.put(second.label(), (now - start - head) / 1_000_000);
        startedAt.put(second.label(), startInstant.plusNanos(head).truncatedTo(ChronoUnit.MILLIS));
        start = now;
        startInstant = Instant.now();
    }

    /** Each phase ended so far, in milliseconds, in order. */
    Map<String, Long> millis() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(millis));
    }

    /** When each phase ended so far started. */
    Map<String, Instant> startedAt() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(startedAt));
    }
}
