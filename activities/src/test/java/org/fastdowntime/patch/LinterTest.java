package org.fastdowntime.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.fastdowntime.model.LintFinding;
import org.fastdowntime.model.Severity;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Tag("unit")
class LinterTest {

    /** rule, a patch that breaks it, a patch that does the same job safely (or is exempt). */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "require-concurrent-index-creation",
                        "CREATE INDEX bug__title__idx ON bug (title);",
                        "CREATE TABLE t (id int); CREATE INDEX t__id__idx ON t (id);"),
                Arguments.of(
                        "ban-concurrent-index-creation-in-transaction",
                        "ALTER TABLE bug ADD COLUMN x int; CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON bug" + " (x);",
                        "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON bug (x);"),
                Arguments.of(
                        "require-concurrent-index-deletion",
                        "DROP INDEX bug__title__idx;",
                        "DROP INDEX CONCURRENTLY IF EXISTS bug__title__idx;"),
                Arguments.of(
                        "adding-foreign-key-constraint",
                        "ALTER TABLE bug ADD CONSTRAINT bug_owner_fk FOREIGN KEY (owner) REFERENCES person;",
                        "ALTER TABLE bug ADD CONSTRAINT bug_owner_fk FOREIGN KEY (owner) REFERENCES person NOT"
                                + " VALID;"),
                Arguments.of(
                        "constraint-missing-not-valid",
                        "ALTER TABLE bug ADD CONSTRAINT title_len CHECK (length(title) < 200);",
                        "ALTER TABLE bug ADD CONSTRAINT title_len CHECK (length(title) < 200) NOT VALID;"),
                Arguments.of(
                        "adding-not-nullable-field",
                        "ALTER TABLE bug ALTER COLUMN description SET NOT NULL;",
                        "ALTER TABLE bug ALTER COLUMN description DROP NOT NULL;"),
                Arguments.of(
                        "adding-required-field",
                        "ALTER TABLE bug ADD COLUMN importance integer NOT NULL;",
                        "ALTER TABLE bug ADD COLUMN importance integer NOT NULL DEFAULT 0;"),
                Arguments.of(
                        "adding-field-with-default",
                        "ALTER TABLE bug ADD COLUMN token uuid DEFAULT gen_random_uuid();",
                        "ALTER TABLE bug ADD COLUMN flag boolean DEFAULT false;"),
                Arguments.of(
                        "changing-column-type",
                        "ALTER TABLE bug ALTER COLUMN title TYPE varchar(100);",
                        "ALTER TABLE bug ALTER COLUMN title SET DEFAULT 'untitled';"),
                Arguments.of(
                        "disallowed-unique-constraint",
                        "ALTER TABLE bug ADD CONSTRAINT bug_title_key UNIQUE (title);",
                        "ALTER TABLE bug ADD CONSTRAINT bug_title_key UNIQUE USING INDEX bug_title_idx;"),
                Arguments.of(
                        "adding-serial-primary-key-field",
                        "ALTER TABLE bugmessage ADD COLUMN seq bigserial;",
                        "ALTER TABLE bugmessage ADD COLUMN seq bigint;"),
                Arguments.of(
                        "renaming-column",
                        "ALTER TABLE bug RENAME COLUMN title TO summary;",
                        "ALTER TABLE bug RENAME CONSTRAINT a TO b;"),
                Arguments.of(
                        "renaming-table",
                        "ALTER TABLE bug RENAME TO issue;",
                        "ALTER TABLE bug RENAME COLUMN title TO title2; -- lint: ignore renaming-column test"),
                Arguments.of(
                        "ban-drop-column",
                        "ALTER TABLE bug DROP COLUMN description;",
                        "ALTER TABLE bug DROP CONSTRAINT bug_title_check;"),
                Arguments.of(
                        "ban-drop-table",
                        "DROP TABLE bugmessage;",
                        "CREATE TABLE scratch (id int); DROP TABLE scratch;"),
                Arguments.of("ban-truncate-cascade", "TRUNCATE bug CASCADE;", "TRUNCATE bugtag;"),
                Arguments.of(
                        "transaction-nesting",
                        "BEGIN; ALTER TABLE bug ADD COLUMN x int; COMMIT;",
                        "DO $$ BEGIN PERFORM 1; END $$;"),
                Arguments.of(
                        "prefer-robust-stmts",
                        "CREATE INDEX CONCURRENTLY bug__x__idx ON bug (x);",
                        "CREATE INDEX CONCURRENTLY IF NOT EXISTS bug__x__idx ON bug (x);"));
    }

    private static List<LintFinding> lint(String sql, int pgMajor) throws Exception {
        List<SqlStatement> statements = SqlScript.parse(sql);
        boolean live =
                statements.stream().anyMatch(s -> StatementKinds.liveReason(s).isPresent());
        boolean cold =
                statements.stream().anyMatch(s -> StatementKinds.liveReason(s).isEmpty());
        return Linter.lint("patch-2300-99-0.sql", statements, live, cold, pgMajor);
    }

    private static boolean fires(String rule, String sql) throws Exception {
        return lint(sql, 15).stream().anyMatch(f -> f.rule().equals(rule) && !f.suppressed());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void ruleFiresOnTheDangerousFormOnly(String rule, String bad, String good) throws Exception {
        assertTrue(fires(rule, bad), rule + " should fire on: " + bad);
        assertFalse(fires(rule, good), rule + " should not fire on: " + good);
    }

    @Test
    void everyRuleHasACase() {
        Set<String> covered = new HashSet<>();
        cases().forEach(a -> covered.add((String) a.get()[0]));
        Set<String> known = new HashSet<>(Linter.ruleIds());
        known.remove(Linter.INVALID_INDEX_RULE); // needs a database: PatchEngineTest covers it
        assertEquals(known, covered);
        assertTrue(covered.size() >= 12);
    }

    @Test
    void findingsCarryFileLineSeverityAndMessage() throws Exception {
        LintFinding f = lint("SELECT 1;\n\nBEGIN;", 15).get(0);
        assertEquals("transaction-nesting", f.rule());
        assertEquals("patch-2300-99-0.sql", f.file());
        assertEquals(3, f.line());
        assertEquals(Severity.ERROR, f.severity());
        assertTrue(f.message().contains("single transaction"));
    }

    @Test
    void ignoreCommentSuppressesOneFindingAndKeepsTheReason() throws Exception {
        List<LintFinding> findings = lint("""
            -- lint: ignore ban-drop-column the column was unused since 2300-01-0
            ALTER TABLE bug DROP COLUMN a, DROP COLUMN b;
            ALTER TABLE bug DROP COLUMN c;
            """, 15);
        assertEquals(2, findings.size());
        assertEquals("the column was unused since 2300-01-0", findings.get(0).suppressedBecause());
        assertFalse(findings.get(1).suppressed());
    }

    @Test
    void ignoreWithoutAReasonIgnoresNothingAndSaysSo() throws Exception {
        List<LintFinding> findings = lint("-- lint: ignore ban-drop-table\nDROP TABLE bug;", 15);
        assertTrue(findings.stream().anyMatch(f -> f.rule().equals("ban-drop-table") && !f.suppressed()));
        assertTrue(findings.stream().anyMatch(f -> f.rule().equals("lint-ignore")));
    }

    @Test
    void anyDefaultRewritesBeforePostgres11() throws Exception {
        String sql = "ALTER TABLE bug ADD COLUMN flag boolean DEFAULT false;";
        assertTrue(lint(sql, 10).stream().anyMatch(f -> f.rule().equals("adding-field-with-default")));
        assertFalse(lint(sql, 11).stream().anyMatch(f -> f.rule().equals("adding-field-with-default")));
    }

    @Test
    void keywordsInStringsDoNotTriggerRules() throws Exception {
        assertTrue(lint("INSERT INTO note VALUES ('DROP TABLE bug; TRUNCATE x CASCADE; BEGIN;');", 15)
                .isEmpty());
    }
}
