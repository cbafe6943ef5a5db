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

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,63}");

    public PgBouncerSettings {
        databases = List.copyOf(databases);
        if (databases.isEmpty()) {
            throw new IllegalArgumentException("at least one pgbouncer database is needed");
        }
        for (String d : databases) {
            if (!NAME.matcher(d).matches()) {
                throw new IllegalArgumentException(
                        "pgbouncer database name '" + d + "' must be letters, digits, _ . -");
            }
        }
    }

    @Override
    public String toString() {
        return "PgBouncerSettings[" + host + ":" + port + ", admin " + adminUser + ", databases " + databases + "]";
    }
}
