package org.fastdowntime.env;

import java.util.List;

/**
 * The streaming standbys an environment expects: by name (each standby's {@code application_name}
 * or {@code cluster_name}, as {@code pg_stat_replication} shows it; with a JDBC URL its replay is
 * read on the standby itself) and/or how many must be streaming.
 *
 * @param expected the named standbys; each must be connected, streaming and within the lag limit
 * @param count how many standbys at least must be streaming (0: as many as are named)
 */
public record StandbySettings(List<Standby> expected, int count) {
    public static final StandbySettings NONE = new StandbySettings(List.of(), 0);

    public StandbySettings {
        expected = expected == null ? List.of() : List.copyOf(expected);
        if (count < 0) {
            throw new IllegalArgumentException("the standby count cannot be negative");
        }
    }

    /**
     * One standby: its name, and optionally where to reach it directly — to read its replay position, and to pause
     * its WAL replay through a window so that it keeps serving reads ({@code jdbcUrl}) — and the pgbouncer its
     * readers come through, paused while it catches up ({@code pgbouncer}, with a {@code jdbcUrl} only).
     */
    public record Standby(String name, String jdbcUrl, org.fastdowntime.pgbouncer.PgBouncerSettings pgbouncer) {
        public Standby {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a standby needs a name (its application_name)");
            }
            if (pgbouncer != null && jdbcUrl == null) {
                throw new IllegalArgumentException(
                        "standby " + name + " has a pgbouncer but no jdbcUrl: its replay is paused and resumed on"
                                + " the standby itself");
            }
        }

        public Standby(String name, String jdbcUrl) {
            this(name, jdbcUrl, null);
        }

        /** Whether its replay is paused through a window: it can be reached directly. */
        public boolean replayControlled() {
            return jdbcUrl != null;
        }
    }

    /** The standbys whose replay a window pauses, in the order they catch up. */
    public List<Standby> replayControlled() {
        return expected.stream().filter(Standby::replayControlled).toList();
    }

    /** How many must be streaming: the count, or the named ones. */
    public int required() {
        return Math.max(count, expected.size());
    }

    public boolean any() {
        return required() > 0;
    }
}
