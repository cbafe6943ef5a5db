package org.fastdowntime.patch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.fastdowntime.model.PatchId;

/**
 * Recognises a patch's own {@code INSERT INTO LaunchpadDatabaseRevision VALUES (M, N, P);}, with or
 * without a column list, and tells which revision it records.
 */
final class RevisionInsert {
    private RevisionInsert() {}

    static Optional<PatchId> recordedId(SqlStatement s, String revisionTable) {
        if (!s.startsWith("INSERT", "INTO")) {
            return Optional.empty();
        }
        AlterTable.NameAt name = AlterTable.NameAt.read(s.tokens(), 2);
        String wanted = unqualified(revisionTable);
        if (name == null || !name.name().equals(wanted)) {
            return Optional.empty();
        }
        int i = name.next();
        List<String> columns = List.of("major", "minor", "patch");
        if (s.token(i) != null && s.token(i).isPunct('(')) {
            List<String> listed = new ArrayList<>();
            i++;
            while (s.token(i) != null && !s.token(i).isPunct(')')) {
                if (!s.token(i).isPunct(',')) {
                    listed.add(s.token(i).identifier());
                }
                i++;
            }
            columns = listed;
            i++;
        }
        if (!s.matchesAt(i, "VALUES")
                || s.token(i + 1) == null
                || !s.token(i + 1).isPunct('(')) {
            return Optional.empty();
        }
        List<String> values = new ArrayList<>();
        for (int k = i + 2; s.token(k) != null && !s.token(k).isPunct(')'); k++) {
            if (!s.token(k).isPunct(',')) {
                values.add(s.token(k).text());
            }
        }
        try {
            int major = Integer.parseInt(values.get(columns.indexOf("major")));
            int minor = Integer.parseInt(values.get(columns.indexOf("minor")));
            int patch = Integer.parseInt(values.get(columns.indexOf("patch")));
            return Optional.of(new PatchId(major, minor, patch));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@code schema.Table} → {@code table}, as PostgreSQL folds an unquoted name. */
    static String unqualified(String table) {
        String last = table.substring(table.lastIndexOf('.') + 1);
        return last.toLowerCase(Locale.ROOT);
    }
}
