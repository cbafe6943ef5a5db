package org.fastdowntime.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SqlScriptTest {

    @Test
    void splitsOnSemicolonsOutsideQuotesCommentsAndBodies() throws Exception {
        String sql = """
        -- a comment; with a semicolon
        CREATE TABLE "odd;name" (note text DEFAULT 'it''s; fine');
        /* block; /* nested; */ still comment; */
        SELECT E'escaped \\' quote; here', $$ body; $$, $tag$ other $$ body; $tag$;
        DO $do$ BEGIN PERFORM 1; END; $do$;
        """;
        List<SqlStatement> statements = SqlScript.parse(sql);
        assertEquals(3, statements.size());
        assertEquals(2, statements.get(0).line());
        assertTrue(statements.get(0).sql().startsWith("CREATE TABLE \"odd;name\""));
        assertEquals(4, statements.get(1).line());
        assertTrue(statements.get(2).startsWith("DO"));
    }

    @Test
    void keywordsInsideStringsIdentifiersAndBodiesAreNotWords() throws Exception {
        SqlStatement s = SqlScript.parse("SELECT 'CREATE INDEX CONCURRENTLY', \"CONCURRENTLY\", $$ CONCURRENTLY $$ /*"
                        + " CONCURRENTLY */;")
                .get(0);
        assertFalse(s.containsWord("CONCURRENTLY"));
    }

    @Test
    void dollarParametersAreNotDollarQuotes() throws Exception {
        List<SqlStatement> s = SqlScript.parse("PREPARE p AS SELECT $1; SELECT 2;");
        assertEquals(2, s.size());
    }

    @Test
    void sqlStandardFunctionBodyIsOneStatement() throws Exception {
        List<SqlStatement> s = SqlScript.parse("""
            CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql
            BEGIN ATOMIC
              SELECT CASE WHEN a > 0 THEN a + b ELSE b END;
              SELECT 1;
            END;
            SELECT 3;
            """);
        assertEquals(2, s.size());
        assertTrue(s.get(1).sql().equals("SELECT 3"));
    }

    @Test
    void commentsPrecedingAStatementAndOnItsLastLineBelongToIt() throws Exception {
        List<SqlStatement> s = SqlScript.parse("""
            -- before the first
            SELECT 1; -- after the first
            SELECT 2;
            """);
        assertEquals(2, s.get(0).comments().size());
        assertEquals(0, s.get(1).comments().size());
    }

    @Test
    void unterminatedQuotesAndBodiesAreReportedWithTheirLine() {
        SqlSyntaxException e =
                assertThrows(SqlSyntaxException.class, () -> SqlScript.parse("SELECT 1;\nSELECT 'oops;\n"));
        assertEquals(2, e.line());
        assertThrows(SqlSyntaxException.class, () -> SqlScript.parse("DO $x$ BEGIN END; $y$;"));
        assertThrows(SqlSyntaxException.class, () -> SqlScript.parse("/* never closed"));
        assertThrows(SqlSyntaxException.class, () -> SqlScript.parse("SELECT \"unclosed"));
    }

    @Test
    void identifiersFoldLikePostgres() throws Exception {
        SqlStatement s = SqlScript.parse("ALTER TABLE Public.\"MixedCase\" ADD COLUMN x int;")
                .get(0);
        assertEquals("MixedCase", AlterTable.parse(s).table());
        SqlStatement t =
                SqlScript.parse("ALTER TABLE ONLY Bug ADD COLUMN x int;").get(0);
        assertEquals("bug", AlterTable.parse(t).table());
    }
}
