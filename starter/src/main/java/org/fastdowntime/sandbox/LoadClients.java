package org.fastdowntime.sandbox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Simulated application servers: each thread runs short read/write transactions on the
 * application's path (directly or through pgbouncer), reconnecting after a failure, and records
 * every transaction's start, end and outcome so a window can be judged afterwards: attempts,
 * failures, p99 latency, longest stall.
 */
public final class LoadClients implements AutoCloseable {
    private final String url;
    private final List<Client> clients = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);

    /** What clients saw between two instants ({@link System#nanoTime()}). */
    public record Window(long attempted, long failed, double p99Millis, double longestStallMillis) {}

    private final class Client implements Runnable {
        final Thread thread = new Thread(this, "load-client");

        /** start, end, ok (1/0) per transaction attempt. */
        final List<long[]> log = new ArrayList<>();

        @Override
        public void run() {
            Connection c = null;
            while (running.get()) {
                long start = System.nanoTime();
                boolean ok = false;
                try {
                    if (c == null) {
                        c = DriverManager.getConnection(url);
                        c.setAutoCommit(false);
                    }
                    int bug = 1 + ThreadLocalRandom.current().nextInt(2000);
                    try (PreparedStatement insert = c.prepareStatement(
                                    "INSERT INTO bugmessage (bug, owner, content) VALUES (?, 1, 'load')");
                            PreparedStatement update = c.prepareStatement(
                                    "UPDATE bug SET date_last_updated = now() AT TIME ZONE 'UTC' WHERE id = ?")) {
                        insert.setInt(1, bug);
                        insert.executeUpdate();
                        update.setInt(1, bug);
                        update.executeUpdate();
                    }
                    c.commit();
                    ok = true;
                } catch (SQLException e) {
                    closeQuietly(c);
                    c = null;
                }
                long end = System.nanoTime();
                synchronized (log) {
                    log.add(new long[] {start, end, ok ? 1 : 0});
                }
                try {
                    Thread.sleep(ok ? 5 : 20);
                } catch (InterruptedException e) {
                    break;
                }
            }
            closeQuietly(c);
        }
    }

    public LoadClients(String url, int count) {
        this.url = url;
        for (int i = 0; i < count; i++) {
            Client c = new Client();
            c.thread.setDaemon(true);
            clients.add(c);
        }
    }

    public void start() {
        clients.forEach(c -> c.thread.start());
    }

    public void stop() throws InterruptedException {
        running.set(false);
        for (Client c : clients) {
            c.thread.join(10_000);
        }
    }

    public long attempted() {
        return clients.stream().mapToLong(c -> c.log.size()).sum();
    }

    public long failed() {
        return clients.stream()
                .mapToLong(c -> c.log.stream().filter(t -> t[2] == 0).count())
                .sum();
    }

    /**
     * Transactions started in [from, to]; the longest stall is the longest time any client went
     * without a successful commit, over gaps that overlap the window.
     */
    public Window window(long from, long to) {
        long attempted = 0;
        long failed = 0;
        List<Long> latencies = new ArrayList<>();
        long stall = 0;
        for (Client c : clients) {
            List<long[]> log;
            synchronized (c.log) {
                log = new ArrayList<>(c.log);
            }
            long lastOk = Long.MIN_VALUE;
            for (long[] t : log) {
                if (t[0] >= from && t[0] <= to) {
                    attempted++;
                    if (t[2] == 0) {
                        failed++;
                    } else {
                        latencies.add(t[1] - t[0]);
                    }
                }
                if (t[2] == 1) {
                    if (lastOk != Long.MIN_VALUE && t[1] >= from && lastOk <= to) {
                        stall = Math.max(stall, t[1] - lastOk);
                    }
                    lastOk = t[1];
                }
            }
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        double p99 = sorted.length == 0
                ? 0
                : sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)] / 1e6;
        return new Window(attempted, failed, p99, stall / 1e6);
    }

    public static double median(double... values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length == 0 ? 0 : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already gone
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (running.get()) {
            stop();
        }
    }
}
