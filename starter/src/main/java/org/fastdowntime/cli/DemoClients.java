package org.fastdowntime.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Simulated application servers: each thread runs short read/write transactions as the application role,
 * reconnecting after a failure, and remembers what it saw (attempts, failures and when, the longest stall).
 */
final class DemoClients implements AutoCloseable {
  private final String url;
  private final List<Client> clients = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);

  record Summary(long attempted, long failed, long failedInWindow, double longestStallSeconds) {}

  private final class Client implements Runnable {
    final Thread thread = new Thread(this, "demo-client");
    long attempted;
    long failed;
    final List<Long> failures = new ArrayList<>();
    long lastSuccess = System.nanoTime();
    long longestStall;

    @Override
    public void run() {
      Connection c = null;
      while (running.get()) {
        attempted++;
        try {
          if (c == null) {
            c = DriverManager.getConnection(url);
            c.setAutoCommit(false);
          }
          int bug = 1 + ThreadLocalRandom.current().nextInt(2000);
          try (PreparedStatement insert = c.prepareStatement(
                  "INSERT INTO bugmessage (bug, owner, content) VALUES (?, 1, 'demo traffic')");
              PreparedStatement update = c.prepareStatement(
                  "UPDATE bug SET date_last_updated = now() AT TIME ZONE 'UTC' WHERE id = ?")) {
            insert.setInt(1, bug);
            insert.executeUpdate();
            update.setInt(1, bug);
            update.executeUpdate();
          }
          c.commit();
          long now = System.nanoTime();
          longestStall = Math.max(longestStall, now - lastSuccess);
          lastSuccess = now;
          Thread.sleep(5);
        } catch (SQLException e) {
          failed++;
          synchronized (failures) {
            failures.add(System.nanoTime());
          }
          closeQuietly(c);
          c = null;
          pause();
        } catch (InterruptedException e) {
          break;
        }
      }
      closeQuietly(c);
    }

    private void pause() {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  DemoClients(String url, int count) {
    this.url = url;
    for (int i = 0; i < count; i++) {
      Client c = new Client();
      c.thread.setDaemon(true);
      clients.add(c);
    }
  }

  void start() {
    clients.forEach(c -> c.thread.start());
  }

  /** Stops the clients and sums up; failures between {@code fromNanos} and {@code toNanos} count as in the window. */
  Summary stop(long fromNanos, long toNanos) throws InterruptedException {
    running.set(false);
    for (Client c : clients) {
      c.thread.join(5000);
    }
    long attempted = 0;
    long failed = 0;
    long inWindow = 0;
    long stall = 0;
    for (Client c : clients) {
      attempted += c.attempted;
      failed += c.failed;
      stall = Math.max(stall, c.longestStall);
      synchronized (c.failures) {
        inWindow += c.failures.stream().filter(t -> t >= fromNanos && t <= toNanos).count();
      }
    }
    return new Summary(attempted, failed, inWindow, stall / 1e9);
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
      stop(0, 0);
    }
  }
}
