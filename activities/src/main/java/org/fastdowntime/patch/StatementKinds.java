package org.fastdowntime.patch;

import java.util.Optional;

/**
 * Tells which statements PostgreSQL refuses inside a transaction block ("cannot run inside a
 * transaction block"). A patch with any of them is LIVE: it runs statement by statement in
 * autocommit, outside the outage.
 */
public final class StatementKinds {
    private StatementKinds() {}

    /** Why {@code s} must run outside a transaction, or empty when it can run inside one. */
    public static Optional<String> liveReason(SqlStatement s) {
        if (s.startsWith("VACUUM")) {
            return Optional.of("VACUUM");
        }
        if (s.startsWith("ALTER", "SYSTEM")) {
            return Optional.of("ALTER SYSTEM");
        }
        for (String object : new String[] {"DATABASE", "TABLESPACE", "SUBSCRIPTION"}) {
            if (s.startsWith("CREATE", object) || s.startsWith("DROP", object)) {
                return Optional.of(s.token(0).upper() + " " + object);
            }
        }
        if (s.startsWith("REINDEX") && (s.matchesAt(1, "DATABASE") || s.matchesAt(1, "SYSTEM"))) {
            return Optional.of("REINDEX " + s.token(1).upper());
        }
        // REFRESH MATERIALIZED VIEW CONCURRENTLY is allowed in a transaction; every other CONCURRENTLY
        // is not.
        if (s.containsWord("CONCURRENTLY") && !s.startsWith("REFRESH")) {
            if (isCreateIndex(s)) {
                return Optional.of("CREATE INDEX CONCURRENTLY");
            }
            if (s.startsWith("DROP", "INDEX")) {
                return Optional.of("DROP INDEX CONCURRENTLY");
            }
            if (s.startsWith("REINDEX")) {
                return Optional.of("REINDEX CONCURRENTLY");
            }
            if (s.startsWith("ALTER", "TABLE") && s.containsSequence("DETACH", "PARTITION")) {
                return Optional.of("DETACH PARTITION CONCURRENTLY");
            }
        }
        return Optional.empty();
    }

    static boolean isCreateIndex(SqlStatement s) {
        return s.startsWith("CREATE", "INDEX") || s.startsWith("CREATE", "UNIQUE", "INDEX");
    }
}
