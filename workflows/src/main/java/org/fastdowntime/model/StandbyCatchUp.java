package org.fastdowntime.model;

/**
 * How one standby caught up with a window's commit after the gate opened.
 *
 * @param seconds from the start of the wait (right after the gate opened) until it had replayed the
 *     commit; null when it did not within the catch-up wait
 * @param state what the primary (or the standby) said of it: streaming, catchup, not connected,
 *     replay paused…
 */
public record StandbyCatchUp(String name, Double seconds, String state) {
    public boolean caughtUp() {
        return seconds != null;
    }
}
