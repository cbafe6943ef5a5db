package org.fastdowntime.fleet;

import java.util.List;
import org.fastdowntime.downtime.Journal;
import org.fastdowntime.downtime.WindowFailures;
import org.fastdowntime.model.Announcement;
import org.fastdowntime.model.FleetStage;
import org.fastdowntime.model.TimelineEvent;
import org.fastdowntime.ports.WindowActivities;
import org.fastdowntime.time.Clock;

/** A fleet window's dealings with people and services: its announcements and the background jobs' resume. */
final class FleetServices {
    private FleetServices() {}

    /** One announcement of the fleet, idempotent by window and event; one that cannot be sent is said, never fatal. */
    static void announce(
            WindowActivities window,
            Journal<FleetStage> journal,
            String environment,
            String workflowId,
            String event,
            String text) {
        try {
            window.announce(new Announcement(environment, workflowId, event, text, workflowId + ":" + event));
        } catch (RuntimeException e) {
            journal.note("The announcement could not be sent: "
                    + WindowFailures.of(e).message());
        }
    }

    /**
     * The background jobs resume, after the window ended: what the hooks said goes on the timeline, while the
     * window's details keep how it ended.
     */
    static void resume(WindowActivities window, Journal<FleetStage> journal, String environment) {
        List<String> said;
        try {
            said = window.resume(environment);
        } catch (RuntimeException e) {
            said = List.of("Resume hooks failed: " + WindowFailures.of(e).message());
        }
        said.forEach(t ->
                journal.record(new TimelineEvent(Clock.now(), journal.stage().name(), t)));
    }
}
