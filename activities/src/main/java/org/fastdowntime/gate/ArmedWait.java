package org.fastdowntime.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** An armed outage's wait for its window, on this worker's clock, and the abort it watches for meanwhile. */
final class ArmedWait {
    private ArmedWait() {}

    /**
     * An armed outage sleeps until its window's start ({@code notBefore}; none: at once), on this worker's clock.
     * The workflow armed it {@code armLead} before the window: a window much further away on this worker's clock
     * means the clocks disagree (or a test service skips time), and is said to {@code skew} instead of slept on.
     */
    static void forWindow(
            Instant notBefore,
            Duration armLead,
            BooleanSupplier cancelled,
            Consumer<String> progress,
            Consumer<String> skew)
            throws InterruptedException {
        if (notBefore == null) {
            return;
        }
        Duration ahead = Duration.between(Instant.now(), notBefore);
        if (ahead.compareTo(armLead.multipliedBy(2).plusSeconds(5)) > 0) {
            skew.accept("This worker's clock puts the window " + ahead.toSeconds()
                    + " s away, more than an armed outage waits; the gate closes on arrival.");
        } else {
            progress.accept("armed: the gate closes at " + notBefore);
            until(notBefore, cancelled);
        }
    }

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
