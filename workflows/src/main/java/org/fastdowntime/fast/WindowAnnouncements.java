package org.fastdowntime.fast;

import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fastdowntime.downtime.Announcements;
import org.fastdowntime.downtime.Change;
import org.fastdowntime.downtime.Journal;
import org.fastdowntime.model.Announcement;
import org.fastdowntime.model.OutageReport;
import org.fastdowntime.ports.WindowActivities;
import org.fastdowntime.time.Clock;

/**
 * A fast window's announcements. Version 1 ("async-announcements"): they go out in the background;
 * a failing channel is retried by Temporal and reported in the status, and never holds up the
 * window. Before it, the window waited for each one.
 */
final class WindowAnnouncements extends Announcements {
    private final List<Promise<Void>> pending = new ArrayList<>();

    WindowAnnouncements(WindowActivities window, Journal<?> journal, String environment, String workflowId) {
        super(window, journal, environment, workflowId, "Fast downtime");
    }

    // ---- what a fast window announces -------------------------------------------------------------

    void deferred(String deferred) {
        sendIfNew(
                "deferred",
                prefix() + ": deferred to a later window (not approved by the QA" + " deadline): " + deferred + ".",
                Map.of("deferred", deferred));
    }

    /** The window is announced; {@code shortNotice}: what its start took from its leads ("" when nothing). */
    void announced(Instant windowStart, String patches, String deferred, String shortNotice) {
        send(
                "announced",
                prefix()
                        + " at "
                        + windowStart
                        + ": patches "
                        + patches
                        + (deferred.isEmpty() ? "" : "; deferred: " + deferred)
                        + "."
                        + shortNotice,
                Map.of("windowStart", windowStart.toString(), "patches", patches, "deferred", deferred));
    }

    void starting(Instant windowStart, Duration budget, String patches) {
        sendIfNew(
                "starting",
                prefix()
                        + " starts at "
                        + windowStart
                        + ": connections are refused for"
                        + " the outage (budget "
                        + Clock.format(budget)
                        + ").",
                Map.of("windowStart", windowStart.toString(), "patches", patches));
    }

    void failed(String why) {
        send("failed", prefix() + " did not apply its patches: " + why + " They are still pending.");
    }

    /** The outage was lost after its COMMIT: the patches are applied, and the window still says it failed. */
    void appliedButLost(String why, String applied) {
        send("failed", prefix() + " applied " + applied + ", but ended abnormally: " + why);
    }

    /** A standby did not replay the window's commit in time: the service runs on the primary alone. */
    void primaryOnly(String warning) {
        send("primary-only", prefix() + ": " + warning + "; the window is done and the gate is open.");
    }

    void incident(String why) {
        send("incident", prefix() + ": " + why);
    }

    void done(String message, OutageReport outage, String applied, String deferred) {
        send(
                "done",
                prefix() + " done: " + message,
                Map.of(
                        "outageMillis",
                        String.valueOf(outage.outageMillis()),
                        "patchSeconds",
                        String.valueOf(outage.patchSeconds()),
                        "applied",
                        applied,
                        "deferred",
                        deferred,
                        "gate",
                        outage.gate()));
    }

    void skipped(String why) {
        send("skipped", prefix() + ": " + why);
    }

    void aborted(String why) {
        send("aborted", prefix() + ": " + why);
    }

    void cancelled(String why) {
        send("cancelled", prefix() + ": " + why);
    }

    // ---- how
    // ---------------------------------------------------------------------------------------

    private void send(String event, String text) {
        send(event, text, Map.of());
    }

    private void send(String event, String text, Map<String, String> fields) {
        Announcement a = announcement(event, text, fields);
        if (!async()) {
            try {
                window.announce(a);
            } catch (RuntimeException e) {
                failed(event, e);
            }
            return;
        }
        pending.add(Async.procedure(window::announce, a).handle((ok, e) -> {
            if (e != null) {
                failed(event, e);
            }
            return null;
        }));
    }

    /** Events that only exist in version 1 (they were never sent before). */
    private void sendIfNew(String event, String text, Map<String, String> fields) {
        if (async()) {
            send(event, text, fields);
        }
    }

    /** The window's result waits for its announcements to be delivered or given up (bounded). */
    void settle() {
        if (pending.isEmpty() || pending.stream().allMatch(Promise::isCompleted)) {
            return;
        }
        Workflow.newDetachedCancellationScope(() -> Workflow.await(
                        Duration.ofMinutes(10), () -> pending.stream().allMatch(Promise::isCompleted)))
                .run();
    }

    private boolean async() {
        return Change.ASYNC_ANNOUNCEMENTS.isOn();
    }
}
