package org.fastdowntime.patch;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fastdowntime.model.LintFinding;
import org.fastdowntime.model.Severity;

/**
 * Lints one patch's parsed statements against the rules users know from squawk and
 * strong_migrations (see LINT-RULES.md). A comment {@code -- lint: ignore <rule> <reason>} before
 * or inside a statement suppresses one finding of that rule on that statement; the reason is kept
 * and shown.
 */
public final class Linter {

    /** Facts about the whole patch that single-statement rules need. */
    record Context(String file, Set<String> createdTables, boolean live, boolean hasCold, int pgMajor) {
        boolean isNewTable(String table) {
            return table != null && createdTables.contains(table);
        }
    }

    private interface Check {
        /** Returns the message when the statement breaks the rule, else null. */
        String check(Context ctx, SqlStatement s);
    }

    private record Rule(String id, Severity severity, Check check) {}

    private static final Pattern IGNORE =
            Pattern.compile("lint:\\s*ignore\\s+([a-z0-9-]+)\\s*(.*)", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private static final List<Rule> RULES = List.of(
            new Rule("require-concurrent-index-creation", Severity.WARNING, LintRules::indexWithoutConcurrently),
            new Rule("ban-concurrent-index-creation-in-transaction", Severity.ERROR, LintRules::concurrentInColdFile),
            new Rule("require-concurrent-index-deletion", Severity.WARNING, LintRules::dropIndexWithoutConcurrently),
            new Rule("adding-foreign-key-constraint", Severity.WARNING, LintRules::foreignKeyWithoutNotValid),
            new Rule("constraint-missing-not-valid", Severity.WARNING, LintRules::checkWithoutNotValid),
            new Rule("adding-not-nullable-field", Severity.WARNING, LintRules::setNotNull),
            new Rule("adding-required-field", Severity.WARNING, LintRules::requiredFieldWithoutDefault),
            new Rule("adding-field-with-default", Severity.WARNING, LintRules::rewritingDefault),
            new Rule("changing-column-type", Severity.WARNING, LintRules::columnType),
            new Rule("disallowed-unique-constraint", Severity.WARNING, LintRules::uniqueConstraint),
            new Rule("adding-serial-primary-key-field", Severity.WARNING, LintRules::serialOrPrimaryKey),
            new Rule("renaming-column", Severity.WARNING, LintRules::renameColumn),
            new Rule("renaming-table", Severity.WARNING, LintRules::renameTable),
            new Rule("ban-drop-column", Severity.WARNING, LintRules::dropColumn),
            new Rule("ban-drop-table", Severity.WARNING, LintRules::dropTable),
            new Rule("ban-truncate-cascade", Severity.WARNING, LintRules::truncateCascade),
            new Rule("transaction-nesting", Severity.ERROR, LintRules::transactionControl),
            new Rule("prefer-robust-stmts", Severity.WARNING, LintRules::fragileLiveStatement));

    public static final String INVALID_INDEX_RULE = "invalid-index-left-behind";

    private Linter() {}

    /** Every rule id this linter knows, in report order. */
    public static List<String> ruleIds() {
        List<String> ids = new ArrayList<>(RULES.stream().map(Rule::id).toList());
        ids.add(INVALID_INDEX_RULE);
        return ids;
    }

    /**
     * @param live whether the patch has statements that cannot run in a transaction
     * @param hasCold whether the patch has statements that need the outage
     * @param pgMajor the server's major version (e.g. 15), which decides which defaults rewrite a
     *     table
     */
    public static List<LintFinding> lint(
            String file, List<SqlStatement> statements, boolean live, boolean hasCold, int pgMajor) {
        Set<String> created = new HashSet<>();
        for (SqlStatement s : statements) {
            createdTable(s).ifPresent(created::add);
        }
        Context ctx = new Context(file, created, live, hasCold, pgMajor);
        List<LintFinding> out = new ArrayList<>();
        for (SqlStatement s : statements) {
            List<LintFinding> here = new ArrayList<>();
            for (Rule rule : RULES) {
                String message = rule.check().check(ctx, s);
                if (message != null) {
                    here.add(new LintFinding(rule.id(), file, s.line(), rule.severity(), message, null));
                }
            }
            applyIgnores(file, s, here);
            out.addAll(here);
        }
        return out;
    }

    private static void applyIgnores(String file, SqlStatement s, List<LintFinding> findings) {
        for (SqlToken comment : s.comments()) {
            String body = comment.text()
                    .replaceFirst("^--", "")
                    .replaceFirst("^/\\*", "")
                    .replaceFirst("\\*/$", "");
            Matcher m = IGNORE.matcher(body.trim());
            if (!m.matches()) {
                continue;
            }
            String rule = m.group(1).toLowerCase(Locale.ROOT);
            String reason = m.group(2).trim();
            if (reason.isEmpty()) {
                findings.add(new LintFinding(
                        "lint-ignore",
                        file,
                        comment.line(),
                        Severity.WARNING,
                        "'lint: ignore " + rule + "' needs a reason after the rule id; nothing was ignored",
                        null));
                continue;
            }
            for (int i = 0; i < findings.size(); i++) {
                LintFinding f = findings.get(i);
                if (f.rule().equals(rule) && !f.suppressed()) {
                    findings.set(i, f.suppress(reason));
                    break;
                }
            }
        }
    }

    static java.util.Optional<String> createdTable(SqlStatement s) {
        if (!s.startsWith("CREATE")) {
            return java.util.Optional.empty();
        }
        int i = s.indexOfWord("TABLE", 1);
        if (i < 0 || i > 4) {
            return java.util.Optional.empty();
        }
        i++;
        if (s.matchesAt(i, "IF", "NOT", "EXISTS")) {
            i += 3;
        }
        AlterTable.NameAt name = AlterTable.NameAt.read(s.tokens(), i);
        return java.util.Optional.ofNullable(name == null ? null : name.name());
    }

    /** The table an index statement is built on ({@code … ON [ONLY] table}). */
    static String indexTable(SqlStatement s) {
        int on = s.indexOfWord("ON", 2);
        if (on < 0) {
            return null;
        }
        int i = on + 1;
        if (s.matchesAt(i, "ONLY")) {
            i++;
        }
        AlterTable.NameAt name = AlterTable.NameAt.read(s.tokens(), i);
        return name == null ? null : name.name();
    }
}
