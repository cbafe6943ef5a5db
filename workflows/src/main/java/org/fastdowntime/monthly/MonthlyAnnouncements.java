package org.fastdowntime.monthly;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fastdowntime.downtime.Announcements;
import org.fastdowntime.downtime.Journal;
import org.fastdowntime.model.Announcement;
import org.fastdowntime.model.MonthlyPolicy;
import org.fastdowntime.ports.WindowActivities;

/**
 * What a monthly downtime announces, by name. Announcements are queued, so a signal handler can ask
 * for one, and sent in order by the workflow's background loop ({@link #sendNext}); a failing
 * channel is said on the timeline and never stops the process.
 */
final class MonthlyAnnouncements extends Announcements {
    private final List<Announcement> queue = new ArrayList<>();

    MonthlyAnnouncements(WindowActivities window, Journal<?> journal, String environment, String workflowId) {
        super(window, journal, environment, workflowId, "Monthly downtime");
    }

    void announced(Instant main, Instant backup, MonthlyPolicy policy) {
        queue(
                "announced",
                prefix()
                        + " on "
                        + main
                        + " ("
                        + policy.windowLength().toMinutes()
                        + " min, read-only), backup window "
                        + backup
                        + ". Some services may pause up to "
                        + policy.servicesPauseLead().toMinutes()
                        + " min before.");
    }

    void escalation(Instant main, List<String> missing) {
        queue(
                "escalation",
                prefix()
                        + " on "
                        + main
                        + " is not confirmed yet by "
                        + missing
                        + "; please confirm or propose another time.");
    }

    void notNeeded(Instant main, String why) {
        queue("cancelled", prefix() + " on " + main + " is not needed: " + why);
    }

    void rcMode() {
        queue("rc-mode", "devel is in RC mode for the monthly downtime of " + environment + ".");
    }

    void rcModeOff(String why) {
        queue(
                "rc-mode-off",
                "devel is out of RC mode for the monthly downtime of " + environment + ": " + why
                        + "; landings are open again.");
    }

    /** The {@code n}th back-out of this downtime. */
    void backedOut(int n, String text) {
        queue("backed-out-" + n, prefix() + ": " + text);
    }

    void reminder(int attempt, Instant at, MonthlyPolicy policy, String cowboys) {
        queue(
                "reminder-" + attempt,
                "Reminder: monthly downtime of "
                        + environment
                        + " at "
                        + at
                        + " ("
                        + policy.windowLength().toMinutes()
                        + " min); some services may pause up to "
                        + policy.servicesPauseLead().toMinutes()
                        + " min before."
                        + cowboys);
    }

    void rescheduled(Instant next, String why, String how) {
        queue(
                "rescheduled-" + next,
                prefix()
                        + " was aborted ("
                        + why
                        + ") and is rescheduled to "
                        + next
                        + " ("
                        + how
                        + "). Nothing was changed.");
    }

    /** The window itself failed. */
    void failed(String message) {
        queue("failed", prefix() + " failed: " + message + " Patches are still pending.");
    }

    /** The process failed before its window, or was called off. */
    void calledOff(String why) {
        queue("failed", prefix() + ": " + why);
    }

    void aborted(String message) {
        queue("aborted", prefix() + ": " + message);
    }

    void cancelled(String why) {
        queue("cancelled", prefix() + ": " + why);
    }

    /** Sends every queued announcement now (where the background loop cannot: a cancelled downtime). */
    void sendAll() {
        while (hasQueued()) {
            sendNext();
        }
    }

    void primaryOnly(String warning) {
        queue("primary-only", prefix() + ": " + warning + "; the rollout is done and the gate is open.");
    }

    void incident(String key, String problem) {
        queue("incident-" + key, prefix() + ": " + problem);
    }

    void issue(int number, String by, String summary) {
        queue("incident-" + number, "Post-rollout issue on " + environment + " reported by " + by + ": " + summary);
    }

    void done(String message) {
        queue("done", prefix() + " done. " + message);
    }

    private void queue(String event, String text) {
        queue.add(announcement(event, text, java.util.Map.of()));
    }

    boolean hasQueued() {
        return !queue.isEmpty();
    }

    /** Sends the oldest queued announcement (an activity). */
    void sendNext() {
        Announcement a = queue.remove(0);
        try {
            window.announce(a);
            journal.note("Announced (" + a.event() + "): " + a.text());
        } catch (RuntimeException e) {
            failed(a.event(), e);
        }
    }
}
