package org.fastdowntime.downtime;

import java.util.Map;
import org.fastdowntime.model.Announcement;
import org.fastdowntime.ports.WindowActivities;

/**
 * What every downtime's announcements share: who announces (the environment and the workflow, whose id keys each
 * announcement so a channel says it once), how a text starts ("Fast downtime of prod"), the activity that
 * delivers it, and how a failed delivery is said on the timeline (never failing the downtime). How and when each
 * is sent is the workflow's: a fast window in the background, a monthly in order from its loop.
 */
public abstract class Announcements {
    protected final WindowActivities window;
    protected final Journal<?> journal;
    protected final String environment;
    protected final String workflowId;
    private final String kind;

    /** @param kind how this downtime is named in its announcements ("Fast downtime", "Monthly downtime") */
    protected Announcements(
            WindowActivities window, Journal<?> journal, String environment, String workflowId, String kind) {
        this.window = window;
        this.journal = journal;
        this.environment = environment;
        this.workflowId = workflowId;
        this.kind = kind;
    }

    /** "Fast downtime of prod": how every announcement of this downtime starts. */
    protected String prefix() {
        return kind + " of " + environment;
    }

    /** An announcement of {@code event}, keyed by this workflow and the event. */
    protected Announcement announcement(String event, String text, Map<String, String> fields) {
        return new Announcement(environment, workflowId, event, text, workflowId + "/" + event, fields);
    }

    /** A delivery that failed after its retries: said on the timeline, never failing the downtime. */
    protected void failed(String event, Throwable e) {
        journal.note(
                "Announcement '" + event + "' failed: " + WindowFailures.of(e).message());
    }
}
