package org.fastdowntime.gate;

import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.model.FailureType;

/**
 * Terminating every other session once the gate is closed: the first kick re-checks the fragile users in the
 * same statement (and kicks nobody if one is mid-transaction); after a lock timeout, {@link #untilGone} kicks
 * again until no session but the system users' is left. Counts what it did, for the outage's report.
 */
final class Kick {
    private final EnvironmentSettings env;
    private int terminated;
    private int rounds;

    Kick(EnvironmentSettings env) {
        this.env = env;
    }

    /** Sessions terminated so far. */
    int terminated() {
        return terminated;
    }

    /** Rounds of pg_terminate_backend so far. */
    int rounds() {
        return rounds;
    }

    /**
     * The first kick: fails FRAGILE_USER_BUSY, terminating nobody, if a fragile user is mid-transaction. A patch
     * then waits, bounded by lock_timeout, only for the locks it needs (as a hand-written outage does), not for
     * every terminated backend to exit; see BENCHMARKS.md.
     */
    void first(Connection c) throws SQLException {
        Sessions.Kick kick = Sessions.kickUnlessFragileBusy(c, env.fragileUsers(), env.systemUsers());
        if (!kick.busyFragile().isEmpty()) {
            throw ApplicationFailure.newNonRetryableFailure(
                    "fragile users are mid-transaction: " + Preflight.describe(kick.busyFragile())
                            + "; nothing was changed",
                    FailureType.FRAGILE_USER_BUSY.name());
        }
        terminated += kick.kicked();
        rounds++;
        FailPoints.reach(FailPoints.KICK);
    }

    /**
     * After a lock timeout: terminates again and waits until every session but the system users' is gone (up to
     * kickTries rounds, kickInterval apart — Launchpad's 100 × 0.1 s — watching every 5 ms), so the retry finds
     * no terminated backend still holding a lock; a session that survives them all fails the window KICK_FAILED.
     */
    void untilGone(Connection c) throws SQLException, InterruptedException {
        int tries = env.budgets().kickTries();
        for (int round = 1; round <= tries; round++) {
            if (Sessions.except(c, env.systemUsers()).isEmpty()) {
                return;
            }
            terminated += Sessions.terminateAllExcept(c, env.systemUsers());
            rounds++;
            FailPoints.reach(FailPoints.KICK);
            long next = System.nanoTime() + env.budgets().kickInterval().toNanos();
            while (System.nanoTime() < next) {
                Thread.sleep(5);
                if (Sessions.except(c, env.systemUsers()).isEmpty()) {
                    return;
                }
            }
        }
        List<Sessions.Session> left = Sessions.except(c, env.systemUsers());
        if (!left.isEmpty()) {
            throw ApplicationFailure.newNonRetryableFailure(
                    "sessions survived " + tries + " rounds of pg_terminate_backend: " + Preflight.describe(left),
                    FailureType.KICK_FAILED.name());
        }
    }
}
