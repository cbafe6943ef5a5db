package org.fastdowntime.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.fastdowntime.model.Deployment;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.Problem;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.model.SealedBundle;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What runs inside a window is exactly what was sealed, once, all or nothing: the rules no lint comment can
 * silence, the session reset between patches and before the bookkeeping, the lexer against a database whose
 * default is standard_conforming_strings off, and the seal against files edited, added or removed after it.
 */
class SealedWindowTest {
    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path folder;

    private static final Deployment WHO = new Deployment("sealed-test", "tester", null, null);
    private final PatchEngine engine = new PatchEngine(EngineSettings.defaults());

    @BeforeEach
    void baseline() throws Exception {
        TestDatabase.copyDemoPatches(folder, name -> true);
        db.loadBaseline(folder);
        try (Stream<Path> files = Files.list(folder)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("patch-"))
                    .toList()) {
                Files.delete(p);
            }
        }
    }

    private PatchSet scan() throws Exception {
        return PatchFolder.scan(folder, EngineSettings.DEFAULT_REVISION_TABLE, 15);
    }

    private void write(String id, String sql) throws Exception {
        Files.writeString(folder.resolve("patch-" + id + ".sql"), sql);
    }

    static Stream<Arguments> hostileStatements() {
        return Stream.of(
                Arguments.of("COMMIT;", ProblemType.TRANSACTION_CONTROL),
                Arguments.of("commit work;", ProblemType.TRANSACTION_CONTROL),
                Arguments.of("END;", ProblemType.TRANSACTION_CONTROL),
                Arguments.of("end transaction;", ProblemType.TRANSACTION_CONTROL),
                Arguments.of("BEGIN;", ProblemType.TRANSACTION_CONTROL),
                Arguments.of("START TRANSACTION ISOLATION LEVEL SERIALIZABLE;", ProblemType.TRANSACTION_CONTROL),
                Arguments.of("ROLLBACK;", ProblemType.TRANSACTION_CONTROL),
                Arguments.of("ABORT;", ProblemType.TRANSACTION_CONTROL),
                Arguments.of("SAVEPOINT mine;", ProblemType.TRANSACTION_CONTROL),
                Arguments.of("RELEASE mine;", ProblemType.TRANSACTION_CONTROL),
                Arguments.of("ROLLBACK TO SAVEPOINT fastdowntime_patch;", ProblemType.TRANSACTION_CONTROL),
                Arguments.of("PREPARE TRANSACTION 'x';", ProblemType.TRANSACTION_CONTROL),
                Arguments.of("COMMIT PREPARED 'x';", ProblemType.TRANSACTION_CONTROL),
                Arguments.of("SET TRANSACTION READ ONLY;", ProblemType.TRANSACTION_CONTROL),
                Arguments.of("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY;", ProblemType.TRANSACTION_CONTROL),
                Arguments.of("SET CONSTRAINTS ALL DEFERRED;", ProblemType.TRANSACTION_CONTROL),
                Arguments.of("/* a comment first */ COMMIT;", ProblemType.TRANSACTION_CONTROL),
                Arguments.of("\\i other.sql\nSELECT 1;", ProblemType.META_COMMAND),
                Arguments.of("\\set ON_ERROR_STOP 1\nSELECT 1;", ProblemType.META_COMMAND),
                Arguments.of("SET standard_conforming_strings = off;", ProblemType.SESSION_SETTING),
                Arguments.of("SET LOCAL standard_conforming_strings TO off;", ProblemType.SESSION_SETTING),
                Arguments.of("SET NAMES 'LATIN1';", ProblemType.SESSION_SETTING),
                Arguments.of("SET client_encoding = 'SQL_ASCII';", ProblemType.SESSION_SETTING),
                Arguments.of("SET application_name = 'not the patcher';", ProblemType.SESSION_SETTING),
                Arguments.of("SELECT set_config('application_name', 'x', false);", ProblemType.SESSION_SETTING),
                Arguments.of("RESET ALL;", ProblemType.SESSION_SETTING),
                Arguments.of("DISCARD ALL;", ProblemType.SESSION_SETTING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileStatements")
    void aStatementThatBreaksTheWindowIsAnErrorOfTheSetThatNoLintCommentSilences(String sql, ProblemType type)
            throws Exception {
        write(
                "2300-01-0",
                "CREATE TABLE t1 (x int);\n-- lint: ignore transaction-nesting we know what we do\n" + sql + "\n");
        PatchSet set = scan();
        assertFalse(set.valid(), sql + " must make the set invalid");
        Problem p = set.problems().stream()
                .filter(x -> x.type() == type)
                .findFirst()
                .orElseThrow(() -> new AssertionError(sql + ": " + set.problems()));
        assertEquals("patch-2300-01-0.sql", p.file(), p.describe());
        assertTrue(p.line() >= 2, "the line of the statement: " + p.describe());
        assertEquals(
                1,
                set.problems().stream().filter(x -> x.line() == p.line()).count(),
                "reported once, not again as lint: " + set.problems());
        Files.writeString(folder.resolve("trusted.sql"), sql + "\n");
        Files.delete(folder.resolve("patch-2300-01-0.sql"));
        assertTrue(
                scan().problems().stream().anyMatch(x -> x.type() == type && "trusted.sql".equals(x.file())),
                "a repeatable script obeys the same rules: " + scan().problems());
    }

    @Test
    void settingsAPatchMayChangeAreAllowed() throws Exception {
        write("2300-01-0", """
                SET client_min_messages = ERROR;
                SET search_path = elsewhere, public;
                SET LOCAL lock_timeout = 0;
                SELECT set_config('search_path', 'public', true);
                CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;
                CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC SELECT 1; END;
                """);
        assertTrue(scan().valid(), scan().problems().toString());
    }

    @Test
    void whatAPatchSetsForItsSessionEndsWithItAndTheBookkeepingStillFindsItsTables() throws Exception {
        db.exec("CREATE SCHEMA other; CREATE TABLE other.launchpaddatabaserevision (major int, minor int, patch int);"
                + " CREATE ROLE fdt_sealed_reader_" + db.name() + " NOLOGIN");
        String role = "fdt_sealed_reader_" + db.name();
        try {
            write(
                    "2300-01-0",
                    "SET search_path = other;\nSET client_min_messages = ERROR;\nSET ROLE " + role + ";\nSELECT 1;\n");
            write("2300-02-0", "CREATE TABLE public.after_the_first (x int);\n");
            try (Connection c = db.connect()) {
                PatchSet set = scan();
                engine.applyCold(c, set, List.of(PatchId.parse("2300-01-0"), PatchId.parse("2300-02-0")), WHO);
                try (Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery(
                                "SELECT current_user, current_setting('search_path'), current_setting('client_min_messages')")) {
                    rs.next();
                    assertEquals("postgres", rs.getString(1), "the role a patch took ended with it");
                    assertEquals("\"$user\", public", rs.getString(2));
                    assertEquals("notice", rs.getString(3));
                }
            }
            assertEquals(
                    2,
                    db.count("SELECT count(*) FROM public.launchpaddatabaserevision WHERE major = 2300 AND minor > 0"),
                    "both recorded in the revision table the window started with");
            assertEquals(0, db.count("SELECT count(*) FROM other.launchpaddatabaserevision"));
            assertEquals(1, db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'after_the_first'"));
        } finally {
            db.exec("DROP ROLE IF EXISTS " + role);
        }
    }

    @Test
    void backslashesInStringsRunAsTheyWereParsedWhateverTheDatabasesDefault() throws Exception {
        db.exec("ALTER DATABASE " + db.name() + " SET standard_conforming_strings = off");
        // With standard_conforming_strings on (what the file was parsed with), 'a\' is a whole string and the
        // CREATE TABLE is a statement of its own; the server must see the same two statements.
        write(
                "2300-01-0",
                "CREATE TABLE quoted (v text);\nINSERT INTO quoted VALUES ('a\\'); CREATE TABLE"
                        + " second_statement (x int); -- ');\n");
        PatchSet set = scan();
        assertTrue(set.valid(), set.problems().toString());
        assertEquals(
                3,
                set.find(PatchId.parse("2300-01-0")).orElseThrow().statements().size());
        try (Connection c = db.connect()) {
            engine.applyCold(c, set, List.of(PatchId.parse("2300-01-0")), WHO);
        }
        assertEquals(1, db.count("SELECT count(*) FROM quoted WHERE v = 'a' || chr(92)"));
        assertEquals(1, db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'second_statement'"));
    }

    @Test
    void nothingNamedAppliesNothing() throws Exception {
        write("2300-01-0", "CREATE TABLE never_named (x int);\n");
        try (Connection c = db.connect()) {
            PatchSet set = scan();
            assertTrue(engine.applyCold(c, set, List.of(), WHO).applied().isEmpty());
            assertTrue(engine.applyLive(c, set, List.of(), WHO).applied().isEmpty());
            assertTrue(engine.timeCold(c, set, List.of()).patches().isEmpty());
            assertTrue(engine.applyCold(c, set, ColdBundle.EMPTY, WHO, () -> {})
                    .applied()
                    .isEmpty());
        }
        assertEquals(0, db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'never_named'"));
    }

    private PatchCandidate candidate(PatchSet set, String id) {
        PatchFile f = set.find(PatchId.parse(id)).orElseThrow();
        return new PatchCandidate(f.id(), f.fileName(), f.sha256(), f.kind());
    }

    @Test
    void aSealHoldsEveryFileByteForByteAndNothingElse() throws Exception {
        write("2300-01-0", "CREATE TABLE sealed_one (x int);\n");
        write("2300-02-0", "CREATE TABLE sealed_two (x int);\n");
        Files.writeString(
                folder.resolve("trusted.sql"),
                "CREATE OR REPLACE FUNCTION trusted() RETURNS int" + " LANGUAGE sql AS 'SELECT 1';\n");
        PatchSet set = scan();
        SealedBundle sealed = BundleSeal.seal(
                set, List.of(candidate(set, "2300-02-0"), candidate(set, "2300-01-0")), List.of(), "test", List.of());
        assertEquals(List.of(PatchId.parse("2300-01-0"), PatchId.parse("2300-02-0")), sealed.ids(), "in order");
        assertEquals(
                List.of("trusted.sql"),
                sealed.scripts().stream().map(SealedBundle.SealedFile::file).toList());
        assertEquals(64, sealed.sha256().length());
        assertEquals(2, BundleSeal.check(scan(), sealed, List.of()).patches().size());

        Files.writeString(folder.resolve("trusted.sql"), "CREATE TABLE nobody_approved (x int);\n");
        BundleSeal.Broken edited =
                assertThrows(BundleSeal.Broken.class, () -> BundleSeal.check(scan(), sealed, List.of()));
        assertTrue(
                edited.getMessage().startsWith("trusted.sql changed after the window was sealed"), edited.getMessage());

        Files.writeString(
                folder.resolve("trusted.sql"),
                "CREATE OR REPLACE FUNCTION trusted() RETURNS int" + " LANGUAGE sql AS 'SELECT 1';\n");
        Files.writeString(folder.resolve("comments.sql"), "COMMENT ON TABLE bug IS 'new';\n");
        BundleSeal.Broken appeared =
                assertThrows(BundleSeal.Broken.class, () -> BundleSeal.check(scan(), sealed, List.of()));
        assertTrue(appeared.getMessage().contains("comments.sql appeared"), appeared.getMessage());
        Files.delete(folder.resolve("comments.sql"));

        Files.delete(folder.resolve("patch-2300-02-0.sql"));
        BundleSeal.Broken gone =
                assertThrows(BundleSeal.Broken.class, () -> BundleSeal.check(scan(), sealed, List.of()));
        assertTrue(gone.getMessage().contains("patch-2300-02-0.sql is no longer in"), gone.getMessage());

        BundleSeal.Broken grants = assertThrows(
                BundleSeal.Broken.class,
                () -> BundleSeal.check(set, sealed, List.of(new Grant("someone", List.of("SELECT"), List.of()))));
        assertTrue(grants.getMessage().contains("grant rules changed"), grants.getMessage());
        assertTrue(
                BundleSeal.seal(set, List.of(), List.of(), "test", List.of()).nothingToApply(),
                "nothing approved seals an empty bundle");
    }
}
