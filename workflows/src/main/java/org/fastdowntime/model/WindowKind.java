package org.fastdowntime.model;

import java.time.Duration;

/** The two kinds of downtime window a calendar opens. */
public enum WindowKind {
    /** A FastDowntime: a short outage, several times a week. */
    FAST(Duration.ofMinutes(5)),
    /** A MonthlyDowntime: the long, negotiated window. */
    MONTHLY(Duration.ofMinutes(90));

    private final Duration length;

    WindowKind(Duration length) {
        this.length = length;
    }

    /** How long the window may take: no other window may start within it. */
    public Duration length() {
        return length;
    }
}
