package org.fastdowntime.patch;

import java.util.List;
import java.util.Set;
import org.fastdowntime.patch.Linter.Context;

/**
 * The lint rules, one method each (see LINT-RULES.md): a statement that breaks the rule gets a message, else
 * null. {@link Linter} runs them and applies the ignores.
 */
final class LintRules {
    private LintRules() {}

    private static final Set<String> SERIAL_TYPES =
            Set.of("serial", "bigserial", "smallserial", "serial2", "serial4", "serial8");

    private static final Set<String> VOLATILE_FUNCTIONS = Set.of(
            "random",
            "clock_timestamp",
            "timeofday",
            "gen_random_uuid",
            "uuid_generate_v1",
            "uuid_generate_v1mc",
            "uuid_generate_v4",
            "nextval",
            "setseed",
            "txid_current");

    static String indexWithoutConcurrently(Context ctx, SqlStatement s) {
        if (!StatementKinds.isCreateIndex(s)
                || s.containsWord("CONCURRENTLY")
                || ctx.isNewTable(Linter.indexTable(s))) {
            return null;
        }
        return "CREATE INDEX on existing table "
                + Linter.indexTable(s)
                + " blocks writes for the whole build; use CREATE INDEX CONCURRENTLY in a LIVE patch";
    }

    static String concurrentInColdFile(Context ctx, SqlStatement s) {
        if (!ctx.hasCold() || StatementKinds.liveReason(s).isEmpty()) {
            return null;
        }
        return StatementKinds.liveReason(s).get()
                + " cannot run inside a transaction block, but this patch also has statements that need the"
                + " outage; put it in a LIVE patch of its own";
    }

    static String dropIndexWithoutConcurrently(Context ctx, SqlStatement s) {
        if (!s.startsWith("DROP", "INDEX") || s.containsWord("CONCURRENTLY")) {
            return null;
        }
        return "DROP INDEX takes an ACCESS EXCLUSIVE lock on the table; use DROP INDEX CONCURRENTLY in"
                + " a LIVE patch";
    }

    static String eachAction(SqlStatement s, Context ctx, ActionCheck check) {
        AlterTable alter = AlterTable.parse(s);
        if (alter == null || ctx.isNewTable(alter.table())) {
            return null;
        }
        for (List<SqlToken> action : alter.actions()) {
            String message = check.check(alter.table(), action);
            if (message != null) {
                return message;
            }
        }
        return null;
    }

    private interface ActionCheck {
        String check(String table, List<SqlToken> action);
    }

    private static boolean isAddConstraint(List<SqlToken> a) {
        if (!AlterTable.starts(a, "ADD") || a.size() < 2) {
            return false;
        }
        SqlToken t = a.get(1);
        return t.isWord("CONSTRAINT")
                || t.isWord("CHECK")
                || t.isWord("FOREIGN")
                || t.isWord("UNIQUE")
                || t.isWord("PRIMARY")
                || t.isWord("EXCLUDE");
    }

    private static boolean isAddColumn(List<SqlToken> a) {
        return AlterTable.starts(a, "ADD") && !isAddConstraint(a);
    }

    static String foreignKeyWithoutNotValid(Context ctx, SqlStatement s) {
        return eachAction(s, ctx, (table, a) -> {
            boolean fk = isAddConstraint(a)
                    ? AlterTable.has(a, "FOREIGN")
                    : isAddColumn(a) && AlterTable.has(a, "REFERENCES");
            if (fk && !AlterTable.hasSequence(a, "NOT", "VALID")) {
                return "adding a foreign key to "
                        + table
                        + " validates it under SHARE ROW EXCLUSIVE locks on both tables;"
                        + " add it NOT VALID, then VALIDATE CONSTRAINT in a later patch";
            }
            return null;
        });
    }

    static String checkWithoutNotValid(Context ctx, SqlStatement s) {
        return eachAction(s, ctx, (table, a) -> {
            if (isAddConstraint(a) && AlterTable.has(a, "CHECK") && !AlterTable.hasSequence(a, "NOT", "VALID")) {
                return "a new CHECK constraint on "
                        + table
                        + " scans the table while blocking writes;"
                        + " add it NOT VALID, then VALIDATE CONSTRAINT";
            }
            return null;
        });
    }

    static String setNotNull(Context ctx, SqlStatement s) {
        return eachAction(s, ctx, (table, a) -> {
            if (AlterTable.starts(a, "ALTER") && AlterTable.hasSequence(a, "SET", "NOT", "NULL")) {
                String how = ctx.pgMajor() >= 12
                        ? "; add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL" + " skips the scan"
                        : "";
                return "SET NOT NULL on " + table + " scans the table under ACCESS EXCLUSIVE" + how;
            }
            return null;
        });
    }

    private static boolean isGenerated(List<SqlToken> a) {
        return AlterTable.has(a, "GENERATED");
    }

    private static boolean hasSerialType(List<SqlToken> a) {
        return a.stream().anyMatch(t -> t.type() == SqlToken.Type.WORD && SERIAL_TYPES.contains(t.identifier()));
    }

    static String requiredFieldWithoutDefault(Context ctx, SqlStatement s) {
        return eachAction(s, ctx, (table, a) -> {
            if (isAddColumn(a)
                    && AlterTable.hasSequence(a, "NOT", "NULL")
                    && !AlterTable.has(a, "DEFAULT")
                    && !isGenerated(a)
                    && !hasSerialType(a)) {
                return "ADD COLUMN … NOT NULL without a DEFAULT on "
                        + table
                        + " fails on a populated table and breaks INSERTs of code that does not know the"
                        + " column";
            }
            return null;
        });
    }

    static String rewritingDefault(Context ctx, SqlStatement s) {
        return eachAction(s, ctx, (table, a) -> {
            if (!isAddColumn(a)) {
                return null;
            }
            if (isGenerated(a) && AlterTable.has(a, "STORED")) {
                return "a STORED generated column rewrites " + table + " under ACCESS EXCLUSIVE";
            }
            int d = -1;
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isWord("DEFAULT")) {
                    d = i;
                    break;
                }
            }
            if (d < 0) {
                return null;
            }
            if (ctx.pgMajor() < 11) {
                return "before PostgreSQL 11 any DEFAULT on ADD COLUMN rewrites " + table;
            }
            for (int i = d + 1; i + 1 < a.size(); i++) {
                SqlToken t = a.get(i);
                if (t.type() == SqlToken.Type.WORD
                        && VOLATILE_FUNCTIONS.contains(t.identifier())
                        && a.get(i + 1).isPunct('(')) {
                    return "the volatile default "
                            + t.text()
                            + "() rewrites "
                            + table
                            + " under ACCESS EXCLUSIVE; add the column without it and backfill in batches";
                }
            }
            return null;
        });
    }

    static String columnType(Context ctx, SqlStatement s) {
        return eachAction(s, ctx, (table, a) -> {
            if (AlterTable.starts(a, "ALTER")
                    && (AlterTable.hasSequence(a, "SET", "DATA", "TYPE") || isAlterColumnType(a))) {
                return "changing a column type rewrites "
                        + table
                        + " and its indexes under ACCESS EXCLUSIVE unless the types are binary-compatible"
                        + " (e.g. varchar → text)";
            }
            return null;
        });
    }

    private static boolean isAlterColumnType(List<SqlToken> a) {
        // ALTER [COLUMN] name TYPE …
        int i = 1;
        if (a.size() > i && a.get(i).isWord("COLUMN")) {
            i++;
        }
        return a.size() > i + 1 && a.get(i + 1).isWord("TYPE");
    }

    static String uniqueConstraint(Context ctx, SqlStatement s) {
        return eachAction(s, ctx, (table, a) -> {
            boolean unique = (isAddConstraint(a) || isAddColumn(a)) && AlterTable.has(a, "UNIQUE");
            if (unique && !AlterTable.hasSequence(a, "USING", "INDEX")) {
                return "ADD UNIQUE on "
                        + table
                        + " builds its index under ACCESS EXCLUSIVE; build a unique index"
                        + " CONCURRENTLY in a LIVE patch, then ADD CONSTRAINT … UNIQUE USING INDEX";
            }
            return null;
        });
    }

    static String serialOrPrimaryKey(Context ctx, SqlStatement s) {
        return eachAction(s, ctx, (table, a) -> {
            if (isAddColumn(a) && hasSerialType(a)) {
                return "adding a serial column rewrites " + table + " under ACCESS EXCLUSIVE";
            }
            boolean pk = (isAddConstraint(a) || isAddColumn(a)) && AlterTable.hasSequence(a, "PRIMARY", "KEY");
            if (pk && !AlterTable.hasSequence(a, "USING", "INDEX")) {
                return "adding a primary key to "
                        + table
                        + " builds its index under ACCESS EXCLUSIVE; build a unique"
                        + " index CONCURRENTLY, then ADD CONSTRAINT … PRIMARY KEY USING INDEX";
            }
            return null;
        });
    }

    static String renameColumn(Context ctx, SqlStatement s) {
        return eachAction(s, ctx, (table, a) -> {
            if (AlterTable.starts(a, "RENAME")
                    && !AlterTable.starts(a, "RENAME", "TO")
                    && !AlterTable.starts(a, "RENAME", "CONSTRAINT")) {
                return "renaming a column of "
                        + table
                        + " breaks running code that uses the old name;"
                        + " code must work with and without the patch";
            }
            return null;
        });
    }

    static String renameTable(Context ctx, SqlStatement s) {
        return eachAction(s, ctx, (table, a) -> {
            if (AlterTable.starts(a, "RENAME", "TO")) {
                return "renaming table "
                        + table
                        + " breaks running code that uses the old name;"
                        + " code must work with and without the patch";
            }
            return null;
        });
    }

    static String dropColumn(Context ctx, SqlStatement s) {
        return eachAction(s, ctx, (table, a) -> {
            if (AlterTable.starts(a, "DROP") && !AlterTable.starts(a, "DROP", "CONSTRAINT")) {
                return "dropping a column of "
                        + table
                        + " breaks running code that still reads it, and the data is gone";
            }
            return null;
        });
    }

    static String dropTable(Context ctx, SqlStatement s) {
        if (!s.startsWith("DROP", "TABLE")) {
            return null;
        }
        int i = s.matchesAt(2, "IF", "EXISTS") ? 4 : 2;
        AlterTable.NameAt name = AlterTable.NameAt.read(s.tokens(), i);
        if (name != null && ctx.isNewTable(name.name())) {
            return null;
        }
        return "dropping a table breaks running code that still uses it, and the data cannot be" + " recovered";
    }

    static String truncateCascade(Context ctx, SqlStatement s) {
        if (s.startsWith("TRUNCATE") && s.containsWord("CASCADE")) {
            return "TRUNCATE … CASCADE silently truncates every table that references it";
        }
        return null;
    }

    static String transactionControl(Context ctx, SqlStatement s) {
        String verb = PatchRules.transactionVerb(s);
        return verb == null ? null : verb + " inside a patch breaks the window's single transaction; remove it";
    }

    static String fragileLiveStatement(Context ctx, SqlStatement s) {
        if (!ctx.live()) {
            return null;
        }
        if (StatementKinds.isCreateIndex(s) && !s.containsSequence("IF", "NOT", "EXISTS")) {
            return "a LIVE patch that fails halfway must be re-runnable: CREATE INDEX CONCURRENTLY IF NOT" + " EXISTS";
        }
        if (s.startsWith("DROP", "INDEX") && !s.containsSequence("IF", "EXISTS")) {
            return "a LIVE patch that fails halfway must be re-runnable: DROP INDEX CONCURRENTLY IF" + " EXISTS";
        }
        return null;
    }
}
