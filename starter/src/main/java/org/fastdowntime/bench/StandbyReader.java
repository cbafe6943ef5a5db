package org.fastdowntime.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reader of a standby through a window: every 5 ms it reads the table the patches alter, on a new connection each
 * time or in one session, from the first of its URLs that answers (several URLs: a reader that fails over). It
 * counts reads served, connections refused (on any of its URLs), reads that none served (refused, failed or
 * cancelled), the longest read and the time during which none of its URLs could serve.
 */
public final class StandbyReader implements AutoCloseable {
    private final String name;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger ok = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    private volatile long longestNanos;
    private volatile long unservedNanos;
    private final Thread thread;

    /** What a reader saw: reads served, connections refused, reads none served; times in milliseconds. */
    public record Figures(
            String name,
            int reads,
            int refused,
            int failed,
            double longestMs,
            double unservedMs,
            List<String> errors) {}

    private StandbyReader(String name, boolean session, List<String> urls, String query) {
        this.name = name;
        thread = new Thread(() -> read(session, urls, query), "standby-reader " + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Reads {@code table} through {@code urls} (tried in order), on a new connection per read or in one session. */
    public static StandbyReader start(String name, boolean session, List<String> urls, String table) {
        return new StandbyReader(name, session, urls, "SELECT count(*) FROM " + table);
    }

    private void read(boolean session, List<String> urls, String query) {
        Connection held = null;
        long unservedSince = 0;
        while (!stop.get()) {
            long t0 = System.nanoTime();
            String error = null;
            for (String url : urls) {
                try {
                    if (held == null) {
                        held = connect(url);
                    }
                    try (Statement st = held.createStatement()) {
                        st.executeQuery(query).close();
                    }
                    error = null;
                    break;
                } catch (SQLException e) {
                    error = e.getMessage();
                    close(held);
                    held = null;
                }
            }
            long now = System.nanoTime();
            if (error == null) {
                ok.incrementAndGet();
                if (unservedSince != 0) {
                    unservedNanos += now - unservedSince;
                    unservedSince = 0;
                }
            } else {
                errors.add(error);
                unservedSince = unservedSince == 0 ? t0 : unservedSince;
            }
            if (!session) {
                close(held);
                held = null;
            }
            longestNanos = Math.max(longestNanos, now - t0);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                break;
            }
        }
        close(held);
    }

    private Connection connect(String url) throws SQLException {
        try {
            return DriverManager.getConnection(url);
        } catch (SQLException e) {
            refused.incrementAndGet();
            throw e;
        }
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the connection served its read, or is already gone
            }
        }
    }

    /** Stops reading (waits for the read under way) and says what it saw. */
    public Figures figures() throws InterruptedException {
        close();
        List<String> distinct = new ArrayList<>();
        errors.stream().distinct().limit(3).forEach(distinct::add);
        return new Figures(
                name, ok.get(), refused.get(), errors.size(), longestNanos / 1e6, unservedNanos / 1e6, distinct);
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join();
    }

    @Override
    public String toString() {
        return String.format(
                "%s: %d reads, %d refused, %d failed, longest %.0f ms %s",
                name,
                ok.get(),
                refused.get(),
                errors.size(),
                longestNanos / 1e6,
                errors.stream().distinct().limit(3).toList());
    }
}
