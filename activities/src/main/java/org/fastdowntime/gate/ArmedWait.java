package org.fastdowntime.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** An armed outage's wait for its window, on this worker's clock, and the abort it watches for meanwhile. */
final class ArmedWait {
    private ArmedWait() {}

    /** Sleeps until {@code at} (the window's start), watching for cancellation every 10 ms. */
    static void until(Instant at, BooleanSupplier cancelled) throws InterruptedException {
        while (true) {
            requireNotCancelled(cancelled);
            long left = Duration.between(Instant.now(), at).toNanos();
            if (left <= 0) {
                return;
            }
            Thread.sleep(Math.min(left / 1_000_000 + 1, 10));
        }
    }

    /** Fails {@link Outage.CancelledOutage} once the window was aborted or cancelled. */
    static void requireNotCancelled(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) {
            throw new Outage.CancelledOutage("the window was aborted; nothing was changed");
        }
    }
}
