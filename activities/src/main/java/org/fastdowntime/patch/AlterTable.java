package org.fastdowntime.patch;

import java.util.ArrayList;
import java.util.List;

/**
 * An {@code ALTER TABLE} statement cut into its table name and comma-separated actions, so rules
 * can look at each action ({@code ADD COLUMN …}, {@code ALTER COLUMN … SET NOT NULL}, …) on its
 * own.
 */
record AlterTable(String table, List<List<SqlToken>> actions) {

    static AlterTable parse(SqlStatement s) {
        if (!s.startsWith("ALTER", "TABLE")) {
            return null;
        }
        int i = 2;
        if (s.matchesAt(i, "IF", "EXISTS")) {
            i += 2;
        }
        if (s.matchesAt(i, "ONLY")) {
            i++;
        }
        NameAt name = NameAt.read(s.tokens(), i);
        if (name == null) {
            return null;
        }
        i = name.next();
        if (s.token(i) != null && s.token(i).isPunct('*')) {
            i++;
        }
        List<List<SqlToken>> actions = new ArrayList<>();
        List<SqlToken> current = new ArrayList<>();
        int depth = 0;
        for (; i < s.tokens().size(); i++) {
            SqlToken t = s.tokens().get(i);
            if (t.isPunct('(')) {
                depth++;
            } else if (t.isPunct(')')) {
                depth--;
            } else if (t.isPunct(',') && depth == 0) {
                actions.add(current);
                current = new ArrayList<>();
                continue;
            }
            current.add(t);
        }
        if (!current.isEmpty()) {
            actions.add(current);
        }
        return new AlterTable(name.name(), actions);
    }

    static boolean starts(List<SqlToken> action, String... words) {
        if (action.size() < words.length) {
            return false;
        }
        for (int k = 0; k < words.length; k++) {
            if (!action.get(k).isWord(words[k])) {
                return false;
            }
        }
        return true;
    }

    static boolean has(List<SqlToken> action, String word) {
        return action.stream().anyMatch(t -> t.isWord(word));
    }

    static boolean hasSequence(List<SqlToken> action, String... words) {
        outer:
        for (int i = 0; i + words.length <= action.size(); i++) {
            for (int k = 0; k < words.length; k++) {
                if (!action.get(i + k).isWord(words[k])) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * An object name at a token position: {@code name}, {@code schema.name} or quoted forms; keeps
     * the last part.
     */
    record NameAt(String name, int next) {
        static NameAt read(List<SqlToken> tokens, int i) {
            if (i >= tokens.size() || !isName(tokens.get(i))) {
                return null;
            }
            String name = tokens.get(i).identifier();
            i++;
            while (i + 1 < tokens.size() && tokens.get(i).isPunct('.') && isName(tokens.get(i + 1))) {
                name = tokens.get(i + 1).identifier();
                i += 2;
            }
            return new NameAt(name, i);
        }

        private static boolean isName(SqlToken t) {
            return t.type() == SqlToken.Type.WORD || t.type() == SqlToken.Type.QUOTED_IDENT;
        }
    }
}
