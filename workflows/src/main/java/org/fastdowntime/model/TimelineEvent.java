package org.fastdowntime.model;

import java.time.Instant;

/**
 * One line of a window's timeline.
 *
 * @param code what the event says, as data (null for a note meant only for people)
 */
public record TimelineEvent(Instant at, String stage, String message, EventCode code) {

    public TimelineEvent(Instant at, String stage, String message) {
        this(at, stage, message, null);
    }

    /** The stage and the message as a timeline line shows them: the stage in a column, always a space after it. */
    public String shown() {
        return String.format(java.util.Locale.ROOT, "%-18s %s", stage, message);
    }
}
