package org.fastdowntime.gate;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancels what the patcher's connection runs when the window is aborted. PostgreSQL cancels a running statement
 * only: a cancel that reaches the server between two statements of the patches' round trip is lost, so while that
 * round trip runs (its COMMIT at its end) the cancel is sent again every 5 ms until it ends.
 */
final class PatcherCancels {
    private static final Logger log = LoggerFactory.getLogger(Outage.class);

    private volatile Connection patcher;
    private volatile boolean sending;

    /** The patcher's connection, or null once the outage let go of it. */
    void patcher(Connection c) {
        patcher = c;
    }

    /** Whether the patches' round trip may be running now. */
    void sending(boolean now) {
        sending = now;
    }

    void cancel() {
        Connection c = patcher;
        if (c == null) {
            return;
        }
        send(c);
        if (!sending) {
            return;
        }
        Thread again = new Thread(
                () -> {
                    long until = System.nanoTime() + Duration.ofMinutes(1).toNanos();
                    while (sending && patcher == c && System.nanoTime() < until) {
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException e) {
                            return;
                        }
                        send(c);
                    }
                },
                "outage-cancel");
        again.setDaemon(true);
        again.start();
    }

    private static void send(Connection c) {
        try {
            c.unwrap(PGConnection.class).cancelQuery();
        } catch (SQLException e) {
            log.warn("could not cancel the running statement: {}", e.getMessage());
        }
    }
}
