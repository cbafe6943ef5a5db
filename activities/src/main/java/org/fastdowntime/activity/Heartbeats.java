package org.fastdowntime.activity;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.ActivityWorkerShutdownException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats from a side thread while an activity's work blocks its own thread (in JDBC, a hook, an
 * HTTP call), so a worker that dies is noticed after the activity's heartbeat timeout (seconds)
 * instead of its start-to-close timeout (minutes), and the step is retried elsewhere.
 *
 * <p>Closing stops the beats without interrupting one in flight: the scheduler is shut down and
 * awaited, never {@code shutdownNow()}-ed, so the SDK's heartbeat call never sees an interrupt
 * (which it would report as a failed heartbeat with a stack trace in the worker's log).
 */
public final class Heartbeats implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);

    private final ScheduledExecutorService beat;
    private final Duration period;

    private Heartbeats(ScheduledExecutorService beat, Duration period) {
        this.beat = beat;
        this.period = period;
    }

    /** Runs {@code work} with a heartbeat every second; outside an activity it just runs it. */
    public static <T> T during(Supplier<T> work) {
        ActivityExecutionContext ctx;
        try {
            ctx = Activity.getExecutionContext();
        } catch (IllegalStateException | NullPointerException notInAnActivity) {
            return work.get();
        }
        try (Heartbeats ignored = start(ctx, Duration.ofSeconds(1), () -> null, null)) {
            return work.get();
        }
    }

    /**
     * Starts heartbeating {@code details} every {@code period} for the activity running on the
     * calling thread.
     *
     * @param onCancel told once when Temporal answers a heartbeat with a cancellation (the activity
     *     was cancelled, timed out or its workflow ended); {@code null} to just stop beating then. A
     *     worker's graceful shutdown is not a cancellation: the work finishes and beats go on while
     *     they can.
     */
    public static Heartbeats start(
            ActivityExecutionContext ctx,
            Duration period,
            Supplier<?> details,
            Consumer<ActivityCompletionException> onCancel) {
        String activity = ctx.getInfo().getActivityType();
        ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heartbeat-" + activity);
            t.setDaemon(true);
            return t;
        });
        Heartbeats heartbeats = new Heartbeats(beat, period);
        Thread owner = Thread.currentThread();
        boolean[] told = new boolean[2]; // [0] cancellation told, [1] shutdown logged; only the beat thread touches it
        beat.scheduleAtFixedRate(
                () -> {
                    if (owner.isInterrupted()) {
                        // The worker is being stopped by force: stop vouching for this attempt, so the server
                        // declares it lost after
                        // the heartbeat timeout and the workflow (or another worker) takes over.
                        log.warn("Worker stopping by force during {}: heartbeats stop", activity);
                        beat.shutdown();
                        return;
                    }
                    try {
                        ctx.heartbeat(details.get());
                    } catch (ActivityWorkerShutdownException e) {
                        if (!told[1]) {
                            told[1] = true;
                            log.info("Worker shutting down during {}: finishing it", activity);
                        }
                    } catch (ActivityCompletionException e) {
                        if (onCancel == null) {
                            beat.shutdown(); // the work's own outcome decides
                        } else if (!told[0]) {
                            told[0] = true;
                            onCancel.accept(e);
                        }
                    } catch (RuntimeException e) {
                        log.warn("Heartbeat of {} failed: {}", activity, e.getMessage());
                    }
                },
                0,
                period.toMillis(),
                TimeUnit.MILLISECONDS);
        return heartbeats;
    }

    /** Stops beating; a beat in flight finishes first (bounded by one period and a second). */
    @Override
    public void close() {
        beat.shutdown();
        try {
            if (!beat.awaitTermination(period.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                beat.shutdownNow();
            }
        } catch (InterruptedException e) {
            beat.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
