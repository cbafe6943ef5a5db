package org.fastdowntime.gate;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.patch.Databases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the database server while the outage runs, on a connection of its own (to the maintenance database): a {@code SELECT 1} every second, each
 * allowed {@code limit}. When the database stops answering (a partition, a dead host: packets dropped, nothing
 * refused), the patcher's connection is aborted, so its statement fails at once instead of waiting for TCP to
 * give up; the heartbeat alone would have vouched for the outage all along, and its window would have waited
 * for the activity's start-to-close timeout.
 */
final class DatabaseWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DatabaseWatch.class);

    private final Thread thread;
    private final AtomicBoolean lost = new AtomicBoolean();
    private volatile boolean stopped;

    private DatabaseWatch(EnvironmentSettings env, String app, Connection watched, Duration limit) {
        this.thread = new Thread(() -> watch(env, app, watched, limit), "database-watch-" + app);
        thread.setDaemon(true);
    }

    /** Starts watching; {@code watched} is aborted when the database goes silent for {@code limit}. */
    static DatabaseWatch start(EnvironmentSettings env, String app, Connection watched, Duration limit) {
        DatabaseWatch w = new DatabaseWatch(env, app, watched, limit);
        w.thread.start();
        return w;
    }

    /** How long the database may stay silent before the outage gives up on it: the heartbeat timeout, 5 s at least. */
    static Duration limit(EnvironmentSettings env) {
        Duration hb = env.budgets().heartbeatTimeout();
        return hb.compareTo(Duration.ofSeconds(5)) < 0 ? Duration.ofSeconds(5) : hb;
    }

    /** When the database went silent, lets go of what the gate prepared (its connection went silent too). */
    void releaseIfLost(ConnectionGate gate) {
        if (lost()) {
            gate.release();
        }
    }

    /** Whether the database went silent and the patcher's connection was aborted. */
    boolean lost() {
        return lost.get();
    }

    private void watch(EnvironmentSettings env, String app, Connection watched, Duration limit) {
        // On the server's maintenance database: the kick terminates the target's sessions, and the gate keeps new
        // ones out of it; a silent network silences both databases of the server alike.
        try (Connection c =
                Databases.connect(env.maintenanceUrl(), env.user(), env.password(), app + ":watch", limit)) {
            while (!stopped) {
                try (Statement st = c.createStatement()) {
                    st.execute("SELECT 1"); // a reply that takes longer than the socket timeout (the limit) fails
                }
                Thread.sleep(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (stopped) {
                return;
            }
            lost.set(true);
            log.error("The database stopped answering ({}): the outage's connection is aborted", e.getMessage());
            try {
                watched.abort(Runnable::run);
            } catch (Exception abort) {
                log.warn("Could not abort the outage's connection: {}", abort.getMessage());
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
