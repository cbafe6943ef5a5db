package org.fastdowntime.patch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fastdowntime.model.ProblemType;

/**
 * The grants that follow a window's patches, in its transaction: every table and sequence the
 * patches created gets each configured role's privileges, and the grants are checked before COMMIT,
 * so the application can use a new table the moment the gate opens. Also what {@code plan} reports:
 * existing objects a role lacks its privileges on.
 */
final class NewObjectGrants {
    /** Application relations: tables, partitioned tables, views, materialized views, foreign tables, sequences. */
    private static final String RELATIONS = "SELECT c.oid, c.relkind = 'S', format('%I.%I', n.nspname, c.relname)"
            + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')"
            + " AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'fastdowntime')"
            + " AND n.nspname !~ '^pg_(toast|temp)'";

    private NewObjectGrants() {}

    /** A relation: its oid, whether it is a sequence, and its quoted qualified name. */
    private record Relation(long oid, boolean sequence, String name) {}

    /** The oids of the application's relations now (taken before the patches run). */
    static Set<Long> snapshot(Connection c) throws SQLException {
        Set<Long> out = new HashSet<>();
        for (Relation r : relations(c)) {
            out.add(r.oid());
        }
        return out;
    }

    /**
     * Grants each role its privileges on every relation not in {@code before}, checks they took, and
     * says what was granted (nothing when the patches created nothing).
     */
    static List<String> grantNew(Connection c, List<Grant> grants, Set<Long> before)
            throws SQLException, PatchEngineException {
        List<Relation> created =
                relations(c).stream().filter(r -> !before.contains(r.oid())).toList();
        List<String> said = new ArrayList<>();
        if (created.isEmpty()) {
            return said;
        }
        try (Statement st = c.createStatement()) {
            for (Grant g : grants) {
                List<String> tables = new ArrayList<>();
                List<String> sequences = new ArrayList<>();
                for (Relation r : created) {
                    List<String> privileges = r.sequence() ? g.sequences() : g.tables();
                    if (privileges.isEmpty()) {
                        continue;
                    }
                    String sql = "GRANT " + String.join(", ", privileges) + " ON "
                            + (r.sequence() ? "SEQUENCE " : "TABLE ") + r.name() + " TO " + SqlText.ident(g.role());
                    try {
                        st.execute(sql);
                    } catch (SQLException e) {
                        throw new PatchEngineException(
                                ProblemType.PATCH_FAILED, "grants: " + sql + ": " + e.getMessage(), e.getSQLState(), e);
                    }
                    (r.sequence() ? sequences : tables).add(r.name());
                }
                check(c, g, created);
                if (!tables.isEmpty()) {
                    said.add("Granted " + String.join(", ", g.tables()) + " to " + g.role() + " on " + tables + ".");
                }
                if (!sequences.isEmpty()) {
                    said.add("Granted " + String.join(", ", g.sequences()) + " to " + g.role() + " on " + sequences
                            + ".");
                }
            }
        }
        return said;
    }

    /** Each role really holds its privileges on each new relation (the grant's own post-check). */
    private static void check(Connection c, Grant g, List<Relation> created) throws SQLException, PatchEngineException {
        Map<String, List<String>> missing = lacking(c, g, created);
        if (!missing.isEmpty()) {
            throw new PatchEngineException(
                    ProblemType.PATCH_FAILED, "grants: " + g.role() + " still lacks " + missing + " after the grant");
        }
    }

    /**
     * Existing relations a configured role lacks privileges on, as {@code role: schema.name
     * (PRIVILEGES)}; the revision table is left out. A role that does not exist is said as such.
     */
    static List<String> ungranted(Connection c, List<Grant> grants, String revisionTable) throws SQLException {
        List<String> out = new ArrayList<>();
        List<Relation> all = relations(c);
        for (Grant g : grants) {
            if (!roleExists(c, g.role())) {
                out.add(g.role() + ": the role does not exist");
                continue;
            }
            List<Relation> others = all.stream()
                    .filter(r -> !r.name().equalsIgnoreCase(revisionTable)
                            && !r.name().equalsIgnoreCase("public." + revisionTable))
                    .toList();
            lacking(c, g, others)
                    .forEach((name, lacking) ->
                            out.add(g.role() + ": " + name + " (" + String.join(", ", lacking) + ")"));
        }
        return out;
    }

    /**
     * What {@code g}'s role lacks of its privileges on each of {@code relations}, in one query; a
     * relation it lacks nothing on is left out, and ALL is granted, never checked.
     */
    private static Map<String, List<String>> lacking(Connection c, Grant g, List<Relation> relations)
            throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> tables = checked(g.tables());
        List<String> sequences = checked(g.sequences());
        if (relations.isEmpty() || (tables.isEmpty() && sequences.isEmpty())) {
            return out;
        }
        try (PreparedStatement ps =
                c.prepareStatement("SELECT format('%I.%I', n.nspname, k.relname), array_agg(p ORDER BY o)"
                        + " FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace"
                        + " CROSS JOIN LATERAL unnest(CASE WHEN k.relkind = 'S' THEN ?::text[] ELSE ?::text[] END)"
                        + " WITH ORDINALITY AS u(p, o)"
                        + " WHERE k.oid = ANY (?::oid[]) AND NOT CASE WHEN k.relkind = 'S'"
                        + " THEN has_sequence_privilege(?, k.oid, p) ELSE has_table_privilege(?, k.oid, p) END"
                        + " GROUP BY 1 ORDER BY 1")) {
            ps.setArray(1, c.createArrayOf("text", sequences.toArray()));
            ps.setArray(2, c.createArrayOf("text", tables.toArray()));
            ps.setArray(
                    3,
                    c.createArrayOf("oid", relations.stream().map(Relation::oid).toArray()));
            ps.setString(4, g.role());
            ps.setString(5, g.role());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), List.of((String[]) rs.getArray(2).getArray()));
                }
            }
        }
        return out;
    }

    private static List<String> checked(List<String> privileges) {
        return privileges.stream().filter(p -> !p.equals("ALL")).toList();
    }

    private static boolean roleExists(Connection c, String role) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static List<Relation> relations(Connection c) throws SQLException {
        List<Relation> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(RELATIONS)) {
            while (rs.next()) {
                out.add(new Relation(rs.getLong(1), rs.getBoolean(2), rs.getString(3)));
            }
        }
        return out;
    }
}
