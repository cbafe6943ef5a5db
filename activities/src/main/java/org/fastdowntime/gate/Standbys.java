package org.fastdowntime.gate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.env.StandbySettings;
import org.fastdowntime.model.StandbyCatchUp;
import org.fastdowntime.patch.Databases;
import org.fastdowntime.patch.PatchEngineException;

/**
 * An environment's streaming standbys, as Launchpad's full-update.py watched them: before the
 * outage every expected standby must be connected, streaming and within the lag limit; after COMMIT
 * each one must replay the window's commit, polled every 0.2 s up to the catch-up wait. The primary's
 * {@code pg_stat_replication} says where each one is; a standby configured with a JDBC URL is asked
 * itself ({@code pg_last_wal_replay_lsn()}), which also sees one replaying through another.
 */
public final class Standbys {
    static final long POLL_MILLIS = 200;

    private Standbys() {}

    /** One row of pg_stat_replication. */
    record Row(String name, String state, double lagSeconds) {}

    static List<Row> rows(Connection primary) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (PreparedStatement ps = primary.prepareStatement(
                        "SELECT coalesce(nullif(application_name, ''), client_addr::text, 'local'), state,"
                                + " coalesce(extract(epoch FROM replay_lag), 0)::float8 FROM pg_stat_replication"
                                + " ORDER BY 1");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Row(rs.getString(1), rs.getString(2), rs.getDouble(3)));
            }
        }
        return out;
    }

    /**
     * What keeps the standbys from being fit for an outage, or null: an expected one not connected,
     * not streaming or lagging; fewer streaming than required; any other one not streaming or
     * lagging.
     */
    static String problem(List<Row> rows, StandbySettings expected, double maxLagSeconds) {
        List<String> wrong = new ArrayList<>();
        Map<String, Row> byName = new LinkedHashMap<>();
        rows.forEach(r -> byName.put(r.name(), r));
        for (StandbySettings.Standby s : expected.expected()) {
            Row r = byName.get(s.name());
            if (r == null) {
                wrong.add(s.name() + " is not connected");
            }
        }
        for (Row r : rows) {
            if (!"streaming".equals(r.state())) {
                wrong.add(r.name() + " is " + r.state() + ", not streaming");
            } else if (r.lagSeconds() >= maxLagSeconds) {
                wrong.add(String.format(
                        Locale.ROOT, "%s lags %.1f s (limit %.0f s)", r.name(), r.lagSeconds(), maxLagSeconds));
            }
        }
        long streaming =
                rows.stream().filter(r -> "streaming".equals(r.state())).count();
        if (wrong.isEmpty() && streaming < expected.required()) {
            wrong.add("only " + streaming + " of " + expected.required() + " expected standbys are streaming");
        }
        return wrong.isEmpty() ? null : String.join("; ", wrong);
    }

    static String passed(List<Row> rows, double maxLagSeconds) {
        return rows.isEmpty()
                ? "no standby"
                : rows.size() + " standby(s) streaming with lag under " + (int) maxLagSeconds + " s: "
                        + String.join(", ", rows.stream().map(Row::name).toList());
    }

    /**
     * Waits until every standby (the expected ones, and any other connected now) has replayed {@code
     * lsn}, polling every 0.2 s up to the environment's catch-up wait; says how long each one took,
     * or that it did not.
     *
     * @param beat called at every poll (the activity's heartbeat)
     */
    public static List<StandbyCatchUp> awaitReplay(EnvironmentSettings env, String lsn, Runnable beat)
            throws SQLException, PatchEngineException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + env.budgets().standbyCatchUp().toNanos();
        Map<String, String> direct = new LinkedHashMap<>();
        env.standbys().expected().forEach(s -> direct.put(s.name(), s.jdbcUrl()));
        Map<String, StandbyCatchUp> result = new LinkedHashMap<>();
        Map<String, Connection> standbyConnections = new LinkedHashMap<>();
        try (Connection primary = org.fastdowntime.env.Environments.connect(env, "fastdowntime standby catch-up")) {
            Set<String> names = new LinkedHashSet<>(direct.keySet());
            rows(primary).forEach(r -> names.add(r.name()));
            while (true) {
                beat.run();
                Map<String, String> primaryView = replayedOnPrimary(primary, lsn);
                for (String name : names) {
                    if (result.containsKey(name) && result.get(name).caughtUp()) {
                        continue;
                    }
                    String state = direct.get(name) != null
                            ? replayedOnStandby(env, name, direct.get(name), lsn, standbyConnections)
                            : primaryView.getOrDefault(name, "not connected");
                    double seconds = (System.nanoTime() - start) / 1e9;
                    result.put(name, new StandbyCatchUp(name, "replayed".equals(state) ? seconds : null, state));
                }
                boolean all = result.values().stream().allMatch(StandbyCatchUp::caughtUp);
                if (all || System.nanoTime() > deadline) {
                    return List.copyOf(result.values());
                }
                Thread.sleep(POLL_MILLIS);
            }
        } finally {
            for (Connection c : standbyConnections.values()) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // a standby that went away while we watched it: nothing to close
                }
            }
        }
    }

    /** Each connected standby's state: "replayed" once its replay position reaches {@code lsn}. */
    private static Map<String, String> replayedOnPrimary(Connection primary, String lsn) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement ps = primary.prepareStatement(
                "SELECT coalesce(nullif(application_name, ''), client_addr::text, 'local'), state,"
                        + " coalesce(replay_lsn >= ?::pg_lsn, false) FROM pg_stat_replication")) {
            ps.setString(1, lsn);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getBoolean(3) ? "replayed" : rs.getString(2) + ", behind");
                }
            }
        }
        return out;
    }

    private static String replayedOnStandby(
            EnvironmentSettings env, String name, String url, String lsn, Map<String, Connection> open) {
        try {
            Connection c = open.get(name);
            if (c == null || c.isClosed()) {
                c = Databases.connect(url, env.user(), env.password(), "fastdowntime standby catch-up");
                open.put(name, c);
            }
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT pg_last_wal_replay_lsn() >= ?::pg_lsn, pg_is_wal_replay_paused()")) {
                ps.setString(1, lsn);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1) ? "replayed" : rs.getBoolean(2) ? "replay paused" : "replaying, behind";
                }
            }
        } catch (SQLException | PatchEngineException e) {
            open.remove(name);
            return "unreachable (" + e.getMessage() + ")";
        }
    }
}
