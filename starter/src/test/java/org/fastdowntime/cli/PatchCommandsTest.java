package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.stream.Stream;
import org.fastdowntime.activity.Json;
import org.fastdowntime.patch.EngineSettings;
import org.fastdowntime.patch.PatchEngine;
import org.fastdowntime.patch.PatchFolder;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input of the patch commands gets its message on stderr and its own exit code; good
 * input exits 0.
 */
class PatchCommandsTest {
    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path folder;

    @BeforeEach
    void demoDatabase() throws Exception {
        TestDatabase.copyDemoPatches(folder, name -> true);
        db.loadBaseline(folder);
    }

    private Cli plan(String... extra) {
        String[] args = Stream.concat(
                        Stream.of("plan", "--db", db.url(), "--patches", folder.toString()), Stream.of(extra))
                .toArray(String[]::new);
        return Cli.run(args);
    }

    private void write(String name, String sql) throws Exception {
        Files.writeString(folder.resolve(name), sql);
    }

    /**
     * Hostile patches through {@code plan}: each way of breaking the window is refused with its own exit code and
     * the file and line, whatever a lint comment says.
     */
    @Test
    void planRefusesWhatWouldBreakTheWindowWithItsOwnExitCode() throws Exception {
        java.util.Map<String, Integer> corpus = new java.util.LinkedHashMap<>();
        corpus.put("CREATE TABLE t (x int);\n-- lint: ignore transaction-nesting sure\nCOMMIT;\n", 18);
        corpus.put("SAVEPOINT mine;\nCREATE TABLE t (x int);\n", 18);
        corpus.put("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;\n", 18);
        corpus.put("\\i other.sql\nSELECT 1;\n", 19);
        corpus.put("SET standard_conforming_strings = off;\n", 23);
        corpus.put("SELECT set_config('application_name', 'someone else', false);\n", 23);
        for (var e : corpus.entrySet()) {
            write("patch-2300-07-0.sql", e.getKey());
            Cli r = plan();
            assertEquals(e.getValue(), r.exit(), e.getKey() + ": " + r);
            assertTrue(r.err().contains("patch-2300-07-0.sql:"), r.err());
        }
        write("patch-2300-07-0.sql", "SET search_path = elsewhere, public;\nSET client_min_messages = ERROR;\n");
        assertEquals(0, plan().exit(), "settings a patch may change are allowed");
    }

    @Test
    void planJsonDescribesEveryPatch() throws Exception {
        Cli r = plan("--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode doc = Json.mapper().readTree(r.out());
        assertEquals(db.name(), doc.get("database").asText());
        assertEquals(6, doc.get("patches").size());
        JsonNode first = doc.get("patches").get(0);
        assertEquals("2300-01-0", first.get("id").asText());
        assertEquals("COLD", first.get("kind").asText());
        assertEquals("pending", first.get("status").asText());
        assertEquals(64, first.get("sha256").asText().length());
        assertEquals("2300-03-0", doc.get("pendingLive").get(0).asText());
        JsonNode suppressed = doc.get("patches").get(3).get("lint").get(0);
        assertEquals("constraint-missing-not-valid", suppressed.get("rule").asText());
        assertTrue(suppressed.get("suppressedBecause").asText().contains("few hundred rows"));
        assertTrue(doc.get("problems").isEmpty());
    }

    @Test
    void planShowsTheRepeatableScriptsAndTheObjectsWithoutGrants() throws Exception {
        write("comments.sql", "COMMENT ON TABLE bug IS 'A problem in a project.';\n");
        Cli r = plan("--grant", "postgres=SELECT", "--grant", "pg_monitor=SELECT/USAGE");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().matches("(?s).*script\\s+-\\s+would run\\s+comments\\.sql  \\(never applied\\).*"), r.out());
        assertTrue(r.out().contains("no grant: pg_monitor: public.bug (SELECT)"), r.out());
        assertTrue(r.out().contains("no grant: pg_monitor: public.bug_id_seq (USAGE)"), r.out());
        assertTrue(!r.out().contains("no grant: postgres"), "a superuser has every privilege: " + r.out());
        JsonNode doc = Json.mapper().readTree(plan("--json").out());
        assertEquals("would run", doc.get("scripts").get(0).get("status").asText());

        Cli bad = plan("--grant", "app=SELECT,SELEKT");
        assertEquals(2, bad.exit(), bad.toString());
        assertTrue(bad.err().contains("'SELEKT' is not a table privilege"), bad.err());
    }

    @Test
    void badFileName() throws Exception {
        write("patch-2300-7-0.sql", "SELECT 1;");
        Cli r = plan();
        assertEquals(10, r.exit(), r.toString());
        assertTrue(r.err().contains("patch-2300-7-0.sql: bad patch file name"), r.err());
    }

    @Test
    void duplicateId() throws Exception {
        write("PATCH-2300-01-0.SQL", "SELECT 1;");
        Cli r = plan();
        assertEquals(11, r.exit(), r.toString());
        assertTrue(r.err().contains("patch id 2300-01-0 is also used by"), r.err());
    }

    @Test
    void fileNotEndingInSemicolon() throws Exception {
        write("patch-2300-07-0.sql", "ALTER TABLE bug ADD COLUMN x int; -- trailing comment");
        Cli r = plan();
        assertEquals(12, r.exit(), r.toString());
        assertTrue(r.err().contains("patch-2300-07-0.sql: file does not end with ';'"), r.err());
    }

    @Test
    void revisionInsertNamingAnotherPatch() throws Exception {
        write(
                "patch-2300-07-0.sql",
                "ALTER TABLE bug ADD COLUMN x int;\n" + "INSERT INTO LaunchpadDatabaseRevision VALUES (2300, 8, 0);");
        Cli r = plan();
        assertEquals(13, r.exit(), r.toString());
        assertTrue(
                r.err()
                        .contains("patch-2300-07-0.sql:2: revision INSERT names another patch: records revision"
                                + " 2300-08-0 but the file name says 2300-07-0"),
                r.err());
    }

    @Test
    void mixedLiveAndCold() throws Exception {
        write("patch-2300-07-0.sql", "ALTER TABLE bug ADD COLUMN x int;\nCREATE INDEX CONCURRENTLY i ON bug (x);");
        Cli r = plan();
        assertEquals(14, r.exit(), r.toString());
        assertTrue(r.err().contains("mixes LIVE and COLD"), r.err());
    }

    @Test
    void unreadableFile() throws Exception {
        Files.write(folder.resolve("patch-2300-07-0.sql"), new byte[] {(byte) 0xff, (byte) 0xfe, ';'});
        Files.createSymbolicLink(folder.resolve("patch-2300-08-0.sql"), folder.resolve("nowhere.sql"));
        Cli r = plan();
        assertEquals(16, r.exit(), r.toString());
        assertTrue(r.err().contains("patch-2300-07-0.sql: unreadable file: not valid UTF-8"), r.err());
        assertTrue(r.err().contains("patch-2300-08-0.sql: unreadable file"), r.err());
    }

    @Test
    void driftAfterApply() throws Exception {
        assertEquals(0, apply());
        Files.writeString(
                folder.resolve("patch-2300-01-0.sql"),
                "SELECT 1; -- sneaky edit\n;\n",
                java.nio.file.StandardOpenOption.APPEND);
        Cli r = plan();
        assertEquals(20, r.exit(), r.toString());
        assertTrue(r.err().contains("patch-2300-01-0.sql: applied patch changed since"), r.err());
        assertTrue(r.out().contains("2300-01-0  COLD  drifted"), r.out());
    }

    @Test
    void recordedPatchMissingFromTheFolder() throws Exception {
        assertEquals(0, apply());
        Files.delete(folder.resolve("patch-2300-06-0.sql"));
        Cli r = plan();
        assertEquals(21, r.exit(), r.toString());
        assertTrue(
                r.err().contains("revision 2300-06-0 is recorded in LaunchpadDatabaseRevision but no file"), r.err());
    }

    @Test
    void databaseUnreachable() {
        Cli r = Cli.run(
                "plan", "--db", "jdbc:postgresql://127.0.0.1:1/nothing?user=postgres", "--patches", folder.toString());
        assertEquals(30, r.exit(), r.toString());
        assertTrue(
                r.err().contains("database unreachable: cannot connect to jdbc:postgresql://127.0.0.1:1/nothing"),
                r.err());
    }

    @Test
    void badArguments() {
        Cli missing = Cli.run("plan", "--patches", folder.toString());
        assertEquals(2, missing.exit(), missing.toString());
        assertTrue(missing.err().contains("Missing required option: '--db=JDBC_URL'"), missing.err());
        Cli notAFolder = Cli.run(
                "plan", "--db", db.url(), "--patches", folder.resolve("absent").toString());
        assertEquals(2, notAFolder.exit(), notAFolder.toString());
        assertTrue(notAFolder.err().contains("does not exist"), notAFolder.err());
        Cli badTable = plan("--revision-table", "x; DROP TABLE bug");
        assertEquals(2, badTable.exit(), badTable.toString());
        assertTrue(badTable.err().contains("must be a plain SQL name"), badTable.err());
        Cli badUrl = Cli.run("plan", "--db", "postgres://x", "--patches", folder.toString());
        assertEquals(2, badUrl.exit(), badUrl.toString());
    }

    @Test
    void timePatchesReportsAndChangesNothing() throws Exception {
        Cli r = Cli.run("time-patches", "--db", db.url(), "--patches", folder.toString(), "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode doc = Json.mapper().readTree(r.out());
        assertEquals(5, doc.get("patches").size());
        assertTrue(doc.get("fitsMonthlyWindow").asBoolean());
        assertEquals(1, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision"));
        Cli text = Cli.run("time-patches", "--db", db.url(), "--patches", folder.toString());
        assertEquals(0, text.exit(), text.toString());
        assertTrue(text.out().contains("  2300-01-0 took 0.0 s (rolled back)"), text.out());
        assertEquals(1, text.out().split("2300-01-0", -1).length - 1, "each patch said once: " + text.out());
        assertTrue(
                !text.out().contains("applied just now") && !text.err().contains("applied just now"), text.toString());
        Path times = folder.resolve("times.json");
        Files.writeString(times, r.out());
        Cli p = plan("--staging-times", times.toString(), "--json");
        assertEquals(0, p.exit(), p.toString());
        assertTrue(Json.mapper()
                .readTree(p.out())
                .get("patches")
                .get(0)
                .get("stagingSeconds")
                .isNumber());
    }

    @Test
    void applyLiveAppliesOnlyTheLivePatchAndOnlyOnce() throws Exception {
        Cli r = Cli.run("apply-live", "--db", db.url(), "--patches", folder.toString(), "--by", "dba");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("2300-03-0 applied live just now in"), r.out());
        assertEquals(1, db.count("SELECT count(*) FROM pg_indexes WHERE indexname = 'bug__owner__idx'"));
        assertEquals(1, db.count("SELECT count(*) FROM fastdowntime.patch_history WHERE applied_by = 'dba'"));
        assertEquals(
                0,
                db.count("SELECT count(*) FROM information_schema.columns WHERE column_name = 'heat'"),
                "no cold patch was applied");
        Cli again = Cli.run("apply-live", "--db", db.url(), "--patches", folder.toString());
        assertEquals(0, again.exit(), again.toString());
        assertTrue(again.out().contains("0 live patch(es) applied, 1 already applied"), again.out());
    }

    private int apply() throws Exception {
        try (Connection c = db.connect()) {
            PatchEngine engine = new PatchEngine(EngineSettings.defaults());
            var set = PatchFolder.scan(folder, "LaunchpadDatabaseRevision", 15);
            engine.applyCold(
                    c,
                    set,
                    engine.pending(c, set, org.fastdowntime.model.PatchKind.COLD),
                    new org.fastdowntime.model.Deployment("t", "t", null, null));
        }
        return 0;
    }
}
