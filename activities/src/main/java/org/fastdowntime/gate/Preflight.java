package org.fastdowntime.gate;

import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.model.FailureType;

/**
 * Launchpad's preflight, run on the patcher's connection to the target:
 *
 * <ol>
 *   <li>the patcher may close the gate and terminate sessions (a superuser, or the database's owner
 *       with pg_signal_backend);
 *   <li>no fragile user (a job that needs repair if interrupted) is connected — else the window
 *       aborts;
 *   <li>no transaction older than the limit (60 s), except known bad users', which are simply
 *       killed;
 *   <li>every expected standby (and any other) streams with a replay lag under the limit (60 s),
 *       waiting up to 30 s for it
 *       to catch up.
 * </ol>
 */
public final class Preflight {
    private final EnvironmentSettings env;

    public Preflight(EnvironmentSettings env) {
        this.env = env;
    }

    /**
     * @param ignoreOpenSessions in the outage itself the open sessions are about to be killed, so
     *     only rights and fragile users matter
     */
    public List<String> run(Connection c, boolean ignoreOpenSessions) throws SQLException, InterruptedException {
        List<String> passed = new ArrayList<>();
        passed.add(checkRights(c));
        List<Sessions.Session> fragile = Sessions.of(c, env.fragileUsers());
        if (!fragile.isEmpty()) {
            throw ApplicationFailure.newNonRetryableFailure(
                    "fragile users are connected and must not be interrupted: "
                            + describe(fragile)
                            + ". Quiesce them, then start a new window.",
                    FailureType.FRAGILE_USER_BUSY.name());
        }
        passed.add("no fragile user connected");
        if (env.pgbouncer() != null) {
            try {
                passed.add(new org.fastdowntime.pgbouncer.PgBouncerGate(env.pgbouncer(), null).check());
            } catch (java.io.IOException e) {
                throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), FailureType.PREFLIGHT_FAILED.name());
            }
        }
        if (ignoreOpenSessions) {
            return passed;
        }
        double limit = env.budgets().maxTransactionAge().toMillis() / 1000.0;
        List<Sessions.Session> old = Sessions.clients(c).stream()
                .filter(s -> s.transactionSeconds() != null && s.transactionSeconds() > limit)
                .filter(s -> !env.badUsers().contains(s.user()))
                .toList();
        if (!old.isEmpty()) {
            throw ApplicationFailure.newNonRetryableFailure(
                    String.format("transactions older than %.0f s: %s", limit, describe(old)),
                    FailureType.PREFLIGHT_FAILED.name());
        }
        passed.add(String.format("no transaction older than %.0f s", limit));
        passed.add(checkStandbys(c));
        if (!env.standbys().replayControlled().isEmpty()) {
            List<String> problems = Replay.problems(env);
            if (!problems.isEmpty()) {
                throw ApplicationFailure.newNonRetryableFailure(
                        "standbys' replay cannot be held through the window: " + String.join("; ", problems),
                        FailureType.PREFLIGHT_FAILED.name());
            }
            passed.add("replay can be paused on "
                    + String.join(
                            ", ",
                            env.standbys().replayControlled().stream()
                                    .map(org.fastdowntime.env.StandbySettings.Standby::name)
                                    .toList()));
        }
        return passed;
    }

    private String checkRights(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT r.rolsuper, d.datdba = r.oid, pg_has_role(r.oid, 'pg_signal_backend',"
                                + " 'MEMBER'), r.rolname FROM pg_roles r, pg_database d WHERE r.rolname ="
                                + " current_user AND d.datname = current_database()")) {
            rs.next();
            boolean superuser = rs.getBoolean(1);
            boolean owner = rs.getBoolean(2);
            boolean signal = rs.getBoolean(3);
            if (superuser) {
                return "patcher " + rs.getString(4) + " is a superuser";
            }
            if (owner && signal) {
                return "patcher " + rs.getString(4) + " owns the database and may signal backends";
            }
            throw ApplicationFailure.newNonRetryableFailure(
                    "the patcher "
                            + rs.getString(4)
                            + " cannot run an outage: it"
                            + " must be a superuser, or own the database and be a member of pg_signal_backend",
                    FailureType.PREFLIGHT_FAILED.name());
        }
    }

    /**
     * Every expected standby connected, streaming and within the lag limit (and any other one too),
     * waiting up to the standby wait for a lagging one to catch up; a missing or lagging one fails the
     * preflight with its name.
     */
    private String checkStandbys(Connection c) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + env.budgets().standbyWait().toNanos();
        double limit = env.budgets().maxStandbyLag().toMillis() / 1000.0;
        while (true) {
            List<Standbys.Row> rows = Standbys.rows(c);
            String problem = Standbys.problem(rows, env.standbys(), limit);
            if (problem == null) {
                return Standbys.passed(rows, limit);
            }
            if (System.nanoTime() > deadline) {
                throw ApplicationFailure.newNonRetryableFailure(
                        "standbys are not ready: " + problem, FailureType.PREFLIGHT_FAILED.name());
            }
            Thread.sleep(100);
        }
    }

    static String describe(List<Sessions.Session> sessions) {
        return sessions.stream().map(Sessions.Session::describe).collect(Collectors.joining(", "));
    }
}
