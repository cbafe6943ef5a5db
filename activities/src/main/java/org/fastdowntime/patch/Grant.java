package org.fastdowntime.patch;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The privileges an application role needs on new objects, as Launchpad's security.cfg gave them:
 * applied in the window's transaction to every table and sequence its patches created, so the
 * application can use them the moment connections come back.
 *
 * @param role the role (a PostgreSQL role name, quoted when used)
 * @param tables privileges on new tables, views and materialized views (SELECT, INSERT, UPDATE,
 *     DELETE, TRUNCATE, REFERENCES, TRIGGER or ALL)
 * @param sequences privileges on new sequences (USAGE, SELECT, UPDATE or ALL)
 */
public record Grant(String role, List<String> tables, List<String> sequences) {
    public static final Set<String> TABLE_PRIVILEGES =
            Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER", "ALL");
    public static final Set<String> SEQUENCE_PRIVILEGES = Set.of("USAGE", "SELECT", "UPDATE", "ALL");

    public Grant {
        if (role == null || role.isBlank()) {
            throw new IllegalArgumentException("a grant needs a role");
        }
        tables = normalise(tables, TABLE_PRIVILEGES, "table");
        sequences = normalise(sequences, SEQUENCE_PRIVILEGES, "sequence");
    }

    private static List<String> normalise(List<String> privileges, Set<String> allowed, String what) {
        if (privileges == null) {
            return List.of();
        }
        List<String> out = privileges.stream()
                .map(p -> p == null ? "" : p.strip().toUpperCase(Locale.ROOT))
                .toList();
        for (String p : out) {
            if (!allowed.contains(p)) {
                throw new IllegalArgumentException(
                        "'" + p + "' is not a " + what + " privilege; one of " + new java.util.TreeSet<>(allowed));
            }
        }
        return out;
    }
}
