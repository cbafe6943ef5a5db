package org.fastdowntime.gate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.env.StandbySettings;
import org.fastdowntime.model.StandbyCatchUp;
import org.fastdowntime.patch.Databases;
import org.fastdowntime.patch.PatchEngineException;
import org.fastdowntime.pgbouncer.PgBouncerAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WAL replay on the standbys a window can reach (those with a JDBC URL), as Launchpad's full-update.py held it:
 * paused before the gate closes, so that every standby keeps serving the old schema, with its connections allowed,
 * through the whole outage (the gate's {@code ALTER DATABASE} and the patches' locks are WAL that a paused standby
 * has not replayed); then resumed one standby at a time, each until it replayed past the gate's reopening, while the
 * others, still paused, serve. A standby's pgbouncer, when configured, is paused while it replays, so its readers
 * wait for it instead of being refused or cancelled. Resuming is on every path: {@link #close()} resumes whatever
 * is still paused, and a window's compensation calls {@link #resumeAll} when its worker died.
 */
public final class Replay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Replay.class);
    /** How long a standby may take to confirm that its replay is paused. */
    static final Duration CONFIRM = Duration.ofSeconds(2);

    private static final long POLL_MILLIS = 20;

    /** A standby whose replay this window paused, on the connection that did it. */
    private record Held(StandbySettings.Standby standby, Connection c) {}

    private final EnvironmentSettings env;
    private final List<Held> paused;

    private Replay(EnvironmentSettings env, List<Held> paused) {
        this.env = env;
        this.paused = paused;
    }

    /** Nothing paused: an environment without standbys it can reach. */
    static Replay none(EnvironmentSettings env) {
        return new Replay(env, new ArrayList<>());
    }

    /** Whether any standby's replay is paused by this window. */
    public boolean any() {
        return !paused.isEmpty();
    }

    /**
     * What keeps the window from pausing replay on each standby it can reach, for the preflight: not a standby, its
     * replay already paused by someone else (a window would resume it), or a patcher without the right to pause and
     * resume replay; null when nothing does. Asks each standby itself.
     */
    public static List<String> problems(EnvironmentSettings env) {
        List<String> problems = new ArrayList<>();
        for (StandbySettings.Standby s : env.standbys().replayControlled()) {
            try (Connection c = connect(env, s);
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery(), pg_get_wal_replay_pause_state(),"
                            + " has_function_privilege('pg_wal_replay_pause()', 'EXECUTE')"
                            + " AND has_function_privilege('pg_wal_replay_resume()', 'EXECUTE'), current_user")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    problems.add(s.name() + " is not a standby (not in recovery): check its jdbcUrl");
                } else if (!"not paused".equals(rs.getString(2))) {
                    problems.add(s.name() + "'s replay is " + rs.getString(2) + " by someone else: resume it (SELECT"
                            + " pg_wal_replay_resume() on " + s.name() + ") or the window would resume it for them");
                }
                if (!rs.getBoolean(3)) {
                    problems.add("the patcher " + rs.getString(4) + " may not pause replay on " + s.name()
                            + ": on the primary, GRANT EXECUTE ON FUNCTION pg_wal_replay_pause(),"
                            + " pg_wal_replay_resume() TO " + rs.getString(4));
                }
            } catch (SQLException | PatchEngineException e) {
                problems.add(s.name() + " cannot be reached to pause its replay: " + e.getMessage());
            }
        }
        return problems;
    }

    /**
     * Pauses replay on every standby the window can reach and waits (up to 2 s each) until it says it is paused; one
     * that cannot be paused is resumed and left to replay the outage as before, said in {@code say}.
     */
    static Replay pause(EnvironmentSettings env, Consumer<String> say) {
        Replay r = none(env);
        for (StandbySettings.Standby s : env.standbys().replayControlled()) {
            Connection c = null;
            try {
                c = connect(env, s);
                run(c, "SELECT pg_wal_replay_pause()");
                if (!awaitPaused(c)) {
                    run(c, "SELECT pg_wal_replay_resume()");
                    c.close();
                    say.accept("Replay on " + s.name() + " did not confirm its pause within " + CONFIRM.toSeconds()
                            + " s: it replays the outage as it comes.");
                    continue;
                }
                r.paused.add(new Held(s, c));
            } catch (SQLException | PatchEngineException e) {
                closeQuietly(c);
                resumeAll(env, List.of(s)); // in case the pause took before the failure
                say.accept("Replay on " + s.name() + " could not be paused (" + e.getMessage()
                        + "): it replays the outage as it comes.");
            }
        }
        if (r.any()) {
            say.accept("Replay paused on " + names(r.paused) + ": they serve the schema of before the window until it"
                    + " is over.");
        }
        return r;
    }

    private static boolean awaitPaused(Connection c) throws SQLException {
        long deadline = System.nanoTime() + CONFIRM.toNanos();
        while (true) {
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT pg_get_wal_replay_pause_state()")) {
                rs.next();
                if ("paused".equals(rs.getString(1))) {
                    return true;
                }
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(POLL_MILLIS);
        }
    }

    /**
     * Resumes the paused standbys one at a time, each until it replayed {@code lsn} (the primary's position once the
     * gate reopened) or its catch-up time ran out, its pgbouncer (if any) paused meanwhile: while one catches up the
     * others still serve. Says how long each took; never throws (what it could not do is said, and {@link #close()}
     * resumes what is left).
     *
     * @param beat called at every poll (the activity's heartbeat)
     */
    List<StandbyCatchUp> catchUp(String lsn, Runnable beat, Consumer<String> say) {
        List<StandbyCatchUp> out = new ArrayList<>();
        Duration limit = env.budgets().standbyCatchUp();
        while (!paused.isEmpty()) {
            Held h = paused.get(0);
            String name = h.standby().name();
            boolean poolPaused = pausePool(h.standby(), say);
            long start = System.nanoTime();
            try {
                run(h.c(), "SELECT pg_wal_replay_resume()");
                paused.remove(0);
                String state = awaitReplayed(h.c(), lsn, start + limit.toNanos(), beat);
                double seconds = (System.nanoTime() - start) / 1e9;
                out.add(new StandbyCatchUp(name, "replayed".equals(state) ? seconds : null, state));
                say.accept(
                        "replayed".equals(state)
                                ? String.format(
                                        Locale.ROOT,
                                        "Standby %s resumed and replayed the window in %.2f s.",
                                        name,
                                        seconds)
                                : "Standby " + name + " resumed but did not replay the window within "
                                        + limit.toSeconds() + " s (" + state + ").");
            } catch (SQLException e) {
                say.accept("Standby " + name + " could not be resumed (" + e.getMessage()
                        + "): resumed again at the end.");
                return out;
            } finally {
                if (poolPaused) {
                    resumePool(h.standby(), say);
                }
            }
            closeQuietly(h.c());
        }
        return out;
    }

    /**
     * {@link #catchUp} to the primary's position now, read on {@code primary} once the gate reopened (so past the
     * gate's reopening); nothing when nothing is paused or the position cannot be read ({@link #close()} then resumes
     * them all).
     */
    List<StandbyCatchUp> catchUpFrom(Connection primary, Consumer<String> progress, Consumer<String> say) {
        if (!any()) {
            return List.of();
        }
        progress.accept("standbys catching up, one at a time");
        String lsn = OutageAccount.currentLsn(primary);
        return lsn == null ? List.of() : catchUp(lsn, () -> {}, say);
    }

    private static String awaitReplayed(Connection c, String lsn, long deadline, Runnable beat) throws SQLException {
        while (true) {
            beat.run();
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_last_wal_replay_lsn() >= ?::pg_lsn")) {
                ps.setString(1, lsn);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return "replayed";
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                return "replaying, behind";
            }
            sleep(POLL_MILLIS);
        }
    }

    /** Pauses the standby's pgbouncer databases, so its readers wait while it replays; whether it did. */
    private boolean pausePool(StandbySettings.Standby s, Consumer<String> say) {
        if (s.pgbouncer() == null) {
            return false;
        }
        PgBouncerAdmin admin = new PgBouncerAdmin(s.pgbouncer());
        List<String> done = new ArrayList<>();
        try {
            for (String db : s.pgbouncer().databases()) {
                PgBouncerAdmin.Running pause = admin.start("PAUSE " + db);
                if (!pause.await(s.pgbouncer().pauseTimeout())) {
                    pause.kill();
                    throw new java.io.IOException("PAUSE " + db + " did not finish within "
                            + s.pgbouncer().pauseTimeout().toSeconds() + " s");
                }
                done.add(db);
            }
            return true;
        } catch (java.io.IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            say.accept("The pgbouncer of " + s.name() + " could not be paused (" + e.getMessage()
                    + "): its readers may be refused while it replays.");
            done.forEach(db -> resume(admin, db, s, say));
            return false;
        }
    }

    private void resumePool(StandbySettings.Standby s, Consumer<String> say) {
        PgBouncerAdmin admin = new PgBouncerAdmin(s.pgbouncer());
        s.pgbouncer().databases().forEach(db -> resume(admin, db, s, say));
    }

    private static void resume(PgBouncerAdmin admin, String db, StandbySettings.Standby s, Consumer<String> say) {
        try {
            admin.run("RESUME " + db);
        } catch (java.io.IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            say.accept("The pgbouncer of " + s.name() + " did not take RESUME " + db + ": " + e.getMessage());
        }
    }

    /** Resumes replay on whatever this window still holds paused, at once (a failure's path), and lets go. */
    @Override
    public void close() {
        for (Held h : paused) {
            try {
                run(h.c(), "SELECT pg_wal_replay_resume()");
                log.info("Replay on {} resumed", h.standby().name());
            } catch (SQLException e) {
                log.error(
                        "Replay on {} could not be resumed ({}): the window's compensation resumes it",
                        h.standby().name(),
                        e.getMessage());
            } finally {
                closeQuietly(h.c());
            }
        }
        paused.clear();
    }

    /**
     * The compensation of a window whose worker died: resumes replay on every standby the environment can reach
     * where it is paused, and returns their names.
     */
    public static List<String> resumeAll(EnvironmentSettings env) {
        return resumeAll(env, env.standbys().replayControlled());
    }

    private static List<String> resumeAll(EnvironmentSettings env, List<StandbySettings.Standby> standbys) {
        List<String> resumed = new ArrayList<>();
        for (StandbySettings.Standby s : standbys) {
            try (Connection c = connect(env, s);
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT pg_is_wal_replay_paused()")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    run(c, "SELECT pg_wal_replay_resume()");
                    resumed.add(s.name());
                }
            } catch (SQLException | PatchEngineException e) {
                log.error("Replay on {} could not be checked or resumed: {}", s.name(), e.getMessage());
            }
        }
        if (!resumed.isEmpty()) {
            log.warn("Replay resumed on {} after a lost outage", resumed);
        }
        return resumed;
    }

    private static Connection connect(EnvironmentSettings env, StandbySettings.Standby s) throws PatchEngineException {
        return Databases.connect(s.jdbcUrl(), env.user(), env.password(), "fastdowntime replay");
    }

    private static void run(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String names(List<Held> held) {
        return String.join(", ", held.stream().map(h -> h.standby().name()).toList());
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // a standby gone away: nothing to close
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
