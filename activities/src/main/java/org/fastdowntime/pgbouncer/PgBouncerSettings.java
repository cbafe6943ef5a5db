package org.fastdowntime.pgbouncer;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How to reach an environment's pgbouncer admin console, and which of its databases point at the
 * target.
 *
 * @param adminPassword resolved by the worker's config loader (environment variable or file); never
 *     logged
 * @param pauseTimeout how long PAUSE may wait for running transactions before DISABLE + KILL
 */
public record PgBouncerSettings(
        String host, int port, String adminUser, String adminPassword, List<String> databases, Duration pauseTimeout) {

    /** What a pgbouncer database name may hold here: up to 63 characters, none of them a control character. */
    private static final Pattern NAME = Pattern.compile("[^\\p{Cntrl}]{1,63}");

    public PgBouncerSettings {
        databases = List.copyOf(databases);
        if (databases.isEmpty()) {
            throw new IllegalArgumentException("at least one pgbouncer database is needed");
        }
        for (String d : databases) {
            if (!NAME.matcher(d).matches()) {
                throw new IllegalArgumentException(
                        "pgbouncer database name '" + d + "' must be 1 to 63 characters, none a control character");
            }
        }
    }

    @Override
    public String toString() {
        return "PgBouncerSettings[" + host + ":" + port + ", admin " + adminUser + ", databases " + databases + "]";
    }
}
