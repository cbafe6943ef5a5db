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

    /** One standby: its name, and optionally where to read its replay position directly. */
    public record Standby(String name, String jdbcUrl) {
        public Standby {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a standby needs a name (its application_name)");
            }
        }
    }

    /** How many must be streaming: the count, or the named ones. */
    public int required() {
        return Math.max(count, expected.size());
    }

    public boolean any() {
        return required() > 0;
    }
}
