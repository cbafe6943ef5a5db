package org.fastdowntime.support;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Heartbeats every second while an activity's work runs, so a worker that dies is noticed after the activity's
 * heartbeat timeout (seconds) instead of its start-to-close timeout (minutes), and the step is retried elsewhere.
 */
public final class Heartbeats {
  private Heartbeats() {}

  public static <T> T during(Supplier<T> work) {
    ActivityExecutionContext ctx;
    try {
      ctx = Activity.getExecutionContext();
    } catch (IllegalStateException | NullPointerException notInAnActivity) {
      return work.get();
    }
    ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "heartbeat-" + ctx.getInfo().getActivityType());
      t.setDaemon(true);
      return t;
    });
    beat.scheduleAtFixedRate(() -> {
      try {
        ctx.heartbeat(null);
      } catch (RuntimeException e) {
        beat.shutdown(); // cancelled or shutting down: the work's own outcome decides
      }
    }, 0, 1, TimeUnit.SECONDS);
    try {
      return work.get();
    } finally {
      beat.shutdownNow();
    }
  }
}
