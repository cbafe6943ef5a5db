package org.fastdowntime.gate;

import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.patch.PatchEngineException;
import org.fastdowntime.patch.SqlText;
import org.postgresql.util.PSQLException;

/**
 * Terminating every other session once the gate is closed: the first kick re-checks the fragile users in the
 * same statement (and kicks nobody if one is mid-transaction); after a lock timeout, {@link #untilGone} kicks
 * again until no session but the system users' is left. Counts what it did, for the outage's report.
 */
final class Kick {
    /** SQLSTATE the first kick raises when a fragile user is mid-transaction (it terminated nobody). */
    static final String FRAGILE_BUSY = "FDTFB";

    /** What the first kick says once it terminated the others (a notice, read back from the batch). */
    private static final String SAID = "fastdowntime kick: terminated ";

    private static final java.util.regex.Pattern HEARD =
            java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(SAID) + "(\\d+) in ([0-9.]+) ms");

    /** The sessions a kick looks at: every other client of this database. */
    private static final String CLIENTS = " FROM pg_catalog.pg_stat_activity WHERE datname ="
            + " pg_catalog.current_database() AND pid <> pg_catalog.pg_backend_pid()"
            + " AND backend_type = 'client backend'";

    private final EnvironmentSettings env;
    private int terminated;
    private long firstNanos;
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
     * The first kick, as one statement sent in the apply's round trip, just before the patches (so the first lock
     * a patch takes is asked for the moment the kick returns, on the server, without a round trip to this
     * process while the terminated backends exit). Unless a fragile user is mid-transaction or running a
     * statement — then it raises {@link #FRAGILE_BUSY} naming them, terminating nobody — it terminates every
     * session but the system users' and the patcher's own. pg_stat_activity is read once per transaction (its
     * snapshot cleared first), so the check and the kick see the same sessions. A patch then waits, bounded by
     * lock_timeout, only for the locks it needs (as a hand-written outage does), not for every terminated backend
     * to exit; see BENCHMARKS.md.
     */
    String statement() {
        return "DO $fastdowntime_kick$ DECLARE busy text; kicked integer; BEGIN"
                + " PERFORM pg_catalog.pg_stat_clear_snapshot();" // the sessions as they are now, not as first read
                + " SELECT string_agg(format('%s (pid %s%s, %s)', usename, pid, CASE WHEN coalesce(application_name,"
                + " '') = '' THEN '' ELSE ', ' || application_name END, CASE WHEN xact_start IS NULL THEN 'idle'"
                + " ELSE format('in a transaction for %s s', round(extract(epoch FROM pg_catalog.clock_timestamp()"
                + " - xact_start))) END), ', ') INTO busy" + CLIENTS
                + " AND usename = ANY (" + users(env.fragileUsers()) + ")"
                + " AND (xact_start IS NOT NULL OR state = 'active'); IF busy IS NOT NULL THEN RAISE EXCEPTION"
                + " USING ERRCODE = '" + FRAGILE_BUSY + "', MESSAGE = 'fragile users are mid-transaction: ' ||"
                + " busy; END IF; SELECT count(*) FILTER (WHERE pg_catalog.pg_terminate_backend(pid)) INTO kicked"
                + CLIENTS + " AND NOT (usename = ANY (" + users(env.systemUsers()) + "));"
                + " PERFORM pg_catalog.set_config('client_min_messages', 'notice', true);"
                + " RAISE NOTICE '" + SAID + "% in % ms', kicked, round(extract(epoch FROM"
                + " pg_catalog.clock_timestamp() - pg_catalog.statement_timestamp()) * 1000, 3); END"
                + " $fastdowntime_kick$";
    }

    /**
     * Runs a statement like the first kick's, terminating nobody, well before the gate closes: the session then has
     * PL/pgSQL loaded and pg_stat_activity's catalog entries cached (the first such statement of a session takes
     * 2.5 ms instead of 0.5 on an idle server), so the kick inside the outage does not pay for them.
     */
    static void warm(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DO $fastdowntime_kick$ BEGIN PERFORM pg_catalog.pg_stat_clear_snapshot(); PERFORM count(*)"
                    + CLIENTS + "; END $fastdowntime_kick$");
        }
    }

    /** What the server said while running {@link #statement()}: how many it terminated, and how long it took. */
    void heard(List<String> notices) {
        for (String n : notices) {
            java.util.regex.Matcher m = HEARD.matcher(n);
            if (m.matches()) {
                terminated += Integer.parseInt(m.group(1));
                firstNanos = (long) (Double.parseDouble(m.group(2)) * 1e6);
                rounds++;
            }
        }
    }

    /** How long the first kick's statement ran, by the server's clock (0 before it ran). */
    long firstNanos() {
        return firstNanos;
    }

    /**
     * The failure of a first kick that found a fragile user mid-transaction (the server said who); null when
     * {@code e} is another failure.
     */
    static ApplicationFailure fragileBusy(PatchEngineException e) {
        if (!FRAGILE_BUSY.equals(e.sqlState())) {
            return null;
        }
        String said = e.getCause() instanceof PSQLException p && p.getServerErrorMessage() != null
                ? p.getServerErrorMessage().getMessage()
                : e.getMessage();
        return ApplicationFailure.newNonRetryableFailure(
                said + "; nothing was changed", FailureType.FRAGILE_USER_BUSY.name());
    }

    private static String users(java.util.Collection<String> names) {
        return "ARRAY[" + names.stream().map(SqlText::literal).collect(java.util.stream.Collectors.joining(", "))
                + "]::text[]";
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
