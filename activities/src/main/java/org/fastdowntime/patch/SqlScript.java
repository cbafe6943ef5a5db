package org.fastdowntime.patch;

import java.util.ArrayList;
import java.util.List;

/**
 * A script split into statements, as psql would send them: on semicolons outside parentheses,
 * quotes, comments and dollar-quoted bodies, and outside SQL-standard {@code BEGIN ATOMIC … END}
 * function bodies.
 */
public final class SqlScript {
    private SqlScript() {}

    public static List<SqlStatement> parse(String src) throws SqlSyntaxException {
        List<SqlToken> all = SqlLexer.tokenize(src);
        List<SqlStatement> out = new ArrayList<>();
        List<SqlToken> tokens = new ArrayList<>();
        List<SqlToken> comments = new ArrayList<>();
        int parens = 0;
        int atomicDepth = 0;
        int lastEndLine = -1;
        for (int i = 0; i < all.size(); i++) {
            SqlToken t = all.get(i);
            if (t.isComment()) {
                if (tokens.isEmpty() && t.line() == lastEndLine && !out.isEmpty()) {
                    // A comment on the line a statement ends on belongs to that statement ("...; -- lint:
                    // ignore").
                    out.set(out.size() - 1, withComment(out.get(out.size() - 1), t));
                } else {
                    comments.add(t);
                }
                continue;
            }
            if (t.type() == SqlToken.Type.SEMICOLON && parens == 0 && atomicDepth == 0) {
                if (!tokens.isEmpty()) {
                    out.add(build(src, tokens, comments));
                    lastEndLine = t.line();
                }
                tokens = new ArrayList<>();
                comments = new ArrayList<>();
                continue;
            }
            if (t.isPunct('(')) {
                parens++;
            } else if (t.isPunct(')')) {
                parens = Math.max(0, parens - 1);
            } else if (t.type() == SqlToken.Type.WORD) {
                atomicDepth = trackAtomic(tokens, t, all, i, atomicDepth);
            }
            tokens.add(t);
        }
        if (!tokens.isEmpty()) {
            out.add(build(src, tokens, comments));
        }
        return out;
    }

    private static int trackAtomic(List<SqlToken> soFar, SqlToken t, List<SqlToken> all, int i, int depth) {
        boolean inRoutine = !soFar.isEmpty()
                && soFar.get(0).isWord("CREATE")
                && soFar.stream().limit(6).anyMatch(x -> x.isWord("FUNCTION") || x.isWord("PROCEDURE"));
        if (!inRoutine) {
            return depth;
        }
        if (t.isWord("BEGIN")) {
            SqlToken next = nextCode(all, i);
            if (depth > 0 || (next != null && next.isWord("ATOMIC"))) {
                return depth + 1;
            }
        } else if (t.isWord("CASE") && depth > 0) {
            return depth + 1;
        } else if (t.isWord("END") && depth > 0) {
            return depth - 1;
        }
        return depth;
    }

    private static SqlToken nextCode(List<SqlToken> all, int i) {
        for (int k = i + 1; k < all.size(); k++) {
            if (!all.get(k).isComment()) {
                return all.get(k);
            }
        }
        return null;
    }

    private static SqlStatement withComment(SqlStatement s, SqlToken comment) {
        List<SqlToken> comments = new ArrayList<>(s.comments());
        comments.add(comment);
        return new SqlStatement(s.tokens(), List.copyOf(comments), s.line(), s.sql());
    }

    private static SqlStatement build(String src, List<SqlToken> tokens, List<SqlToken> comments) {
        SqlToken first = tokens.get(0);
        SqlToken last = tokens.get(tokens.size() - 1);
        return new SqlStatement(
                List.copyOf(tokens), List.copyOf(comments), first.line(), src.substring(first.start(), last.end()));
    }
}
