package org.fastdowntime.patch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.fastdowntime.model.Problem;
import org.fastdowntime.model.ProblemType;

/**
 * The rules of a patch set that no {@code lint: ignore} can switch off, because breaking them breaks the
 * window itself rather than its users: a statement that ends, nests or shapes the window's one transaction
 * (half a failed window would stay committed), a psql meta-command (the engine sends statements to the server,
 * not to psql, so the file would mean something else than it did in psql), and a setting the window's own
 * session depends on (how the following statements are split, the driver's encoding, the name compensation
 * finds the patcher by). Everything else a patch sets for itself ({@code search_path}, a role,
 * {@code client_min_messages}…) is allowed and reset by the engine after the patch.
 */
public final class PatchRules {
    /** Parameters the window's session relies on; a patch may not change them. */
    private static final Set<String> WINDOW_SETTINGS =
            Set.of("standard_conforming_strings", "client_encoding", "application_name");

    /** The lint rule these rules make an error of the set itself; its finding is advice only. */
    static final String COVERED_LINT_RULE = "transaction-nesting";

    private PatchRules() {}

    /** Every problem of {@code statements} of {@code file}, one per statement at most. */
    public static List<Problem> problems(String file, List<SqlStatement> statements) {
        List<Problem> out = new ArrayList<>();
        for (SqlStatement s : statements) {
            metaCommand(s)
                    .or(() -> transactionControl(s))
                    .or(() -> windowSetting(s))
                    .ifPresent(p -> out.add(new Problem(p.type(), file, p.line(), p.message())));
        }
        return out;
    }

    private record Found(ProblemType type, int line, String message) {}

    /** A backslash outside any literal: psql's {@code \i}, {@code \set}, {@code \connect}… SQL has none. */
    private static Optional<Found> metaCommand(SqlStatement s) {
        for (int i = 0; i < s.tokens().size(); i++) {
            SqlToken t = s.tokens().get(i);
            if (t.isPunct('\\')) {
                SqlToken next = s.token(i + 1);
                String name = next == null || next.line() != t.line() ? "" : next.text();
                return Optional.of(new Found(
                        ProblemType.META_COMMAND,
                        t.line(),
                        "\\" + name + " is a psql meta-command, not SQL; the window sends each statement to the"
                                + " server, so put what it does in the patch itself"));
            }
        }
        return Optional.empty();
    }

    /** BEGIN, COMMIT, ROLLBACK, SAVEPOINT, SET TRANSACTION… in every spelling PostgreSQL accepts. */
    private static Optional<Found> transactionControl(SqlStatement s) {
        String what = transactionVerb(s);
        if (what == null) {
            return Optional.empty();
        }
        return Optional.of(new Found(
                ProblemType.TRANSACTION_CONTROL,
                s.line(),
                what + " would end or reshape the window's single transaction (what ran before it would stay"
                        + " committed if a later patch failed); the engine owns the transaction: remove it"));
    }

    /** The transaction-control command {@code s} starts with, or null. */
    static String transactionVerb(SqlStatement s) {
        for (String[] words : new String[][] {
            {"BEGIN"},
            {"START", "TRANSACTION"},
            {"COMMIT"},
            {"END"},
            {"ROLLBACK"},
            {"ABORT"},
            {"SAVEPOINT"},
            {"RELEASE"},
            {"PREPARE", "TRANSACTION"},
            {"SET", "TRANSACTION"},
            {"SET", "SESSION", "CHARACTERISTICS"},
            {"SET", "LOCAL", "TRANSACTION"},
            {"SET", "SESSION", "TRANSACTION"},
            {"SET", "CONSTRAINTS"}
        }) {
            if (s.startsWith(words)) {
                return String.join(" ", words);
            }
        }
        return null;
    }

    /** SET/RESET of a setting the window's session depends on, as a command or through set_config(). */
    private static Optional<Found> windowSetting(SqlStatement s) {
        String name = null;
        if (s.startsWith("DISCARD")) {
            return Optional.of(found(s, "the session's state (DISCARD)"));
        } else if (s.startsWith("SET", "NAMES")) {
            name = "client_encoding";
        } else if (s.startsWith("SET") || s.startsWith("RESET")) {
            int i = s.matchesAt(1, "SESSION") || s.matchesAt(1, "LOCAL") ? 2 : 1;
            SqlToken t = s.token(i);
            name = t == null ? null : t.identifier().toLowerCase(Locale.ROOT);
            if ("all".equals(name)) {
                name = "every setting (RESET ALL)";
                return Optional.of(found(s, name));
            }
        } else {
            for (int i = 0; i + 2 < s.tokens().size(); i++) {
                if (s.tokens().get(i).isWord("SET_CONFIG")
                        && s.tokens().get(i + 1).isPunct('(')) {
                    SqlToken arg = s.tokens().get(i + 2);
                    if (arg.type() == SqlToken.Type.STRING) {
                        String v =
                                arg.text().substring(1, arg.text().length() - 1).toLowerCase(Locale.ROOT);
                        if (WINDOW_SETTINGS.contains(v)) {
                            return Optional.of(found(s, v));
                        }
                    }
                }
            }
        }
        return name != null && WINDOW_SETTINGS.contains(name) ? Optional.of(found(s, name)) : Optional.empty();
    }

    private static Found found(SqlStatement s, String name) {
        return new Found(
                ProblemType.SESSION_SETTING,
                s.line(),
                "changes " + name + ", which the window's own session relies on (how the next statements are"
                        + " split, the driver's encoding, the name the gate's compensation finds the patcher by);"
                        + " a patch may set search_path, roles or other parameters, which are reset after it, but"
                        + " not this");
    }
}
