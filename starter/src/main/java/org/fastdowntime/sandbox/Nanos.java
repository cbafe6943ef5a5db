package org.fastdowntime.sandbox;

import java.time.Duration;
import java.time.Instant;

/**
 * Maps a wall-clock instant (as activities record them) onto this JVM's {@link System#nanoTime()}
 * scale.
 */
public final class Nanos {
    private Nanos() {}

    public static long of(Instant at) {
        long nowNanos = System.nanoTime();
        return nowNanos - Duration.between(at, Instant.now()).toNanos();
    }
}
