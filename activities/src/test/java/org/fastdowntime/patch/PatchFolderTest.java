package org.fastdowntime.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchKind;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class PatchFolderTest {
    @TempDir
    Path schema;

    @Test
    void readsALaunchpadDatabaseSchemaFolderAsItIs() throws Exception {
        for (String other :
                List.of("comments.sql", "trusted.sql", "security.cfg", "upgrade.py", "full-update.py", "README")) {
            Files.writeString(schema.resolve(other), "-- not a patch\n");
        }
        Files.createDirectories(schema.resolve("archive"));
        Files.writeString(schema.resolve("launchpad-2209-00-0.sql"), "CREATE TABLE person (id serial);\n");
        Files.writeString(schema.resolve("patch-2209-10-0.sql"), """
        SET client_min_messages=ERROR;
        ALTER TABLE person ADD COLUMN karma integer;
        INSERT INTO LaunchpadDatabaseRevision VALUES (2209, 10, 0);
        """);
        Files.writeString(schema.resolve("patch-2209-09-1.sql"), """
        CREATE INDEX CONCURRENTLY IF NOT EXISTS person__karma__idx ON person (karma);
        INSERT INTO LaunchpadDatabaseRevision VALUES (2209, 09, 1);
        """);
        Files.writeString(schema.resolve("patch-2209-00-5.sql"), """
        INSERT INTO LaunchpadDatabaseRevision (major, minor, patch) VALUES (2209, 0, 5);
        """);

        PatchSet set = PatchFolder.scan(schema, "LaunchpadDatabaseRevision", 15);
        assertTrue(set.valid(), set.problems().toString());
        assertEquals(
                List.of("2209-00-5", "2209-09-1", "2209-10-0"),
                set.patches().stream().map(p -> p.id().toString()).toList(),
                "numeric order");
        assertEquals(
                "launchpad-2209-00-0.sql",
                set.latestBaseline().orElseThrow().getFileName().toString());
        PatchFile live = set.find(PatchId.parse("2209-09-1")).orElseThrow();
        assertEquals(PatchKind.LIVE, live.kind(), "its revision INSERT does not make it mixed");
        assertEquals(1, live.executable().size(), "the engine records a live patch's revision itself");
        assertNotNull(set.find(PatchId.parse("2209-10-0")).orElseThrow().revisionInsert());
        assertNotNull(set.find(PatchId.parse("2209-00-5")).orElseThrow().revisionInsert(), "column list form");
        assertEquals(
                List.of("trusted.sql", "comments.sql"),
                set.scripts().stream().map(RepeatableScript::fileName).toList(),
                "Launchpad's scripts that follow the patches, in order; other files are left alone");
    }

    @Test
    void aPatchWithoutItsOwnInsertIsLeftToTheEngine() throws Exception {
        Files.writeString(schema.resolve("patch-2300-01-0.sql"), "CREATE TABLE t (id int);\n");
        PatchFile p = PatchFolder.scan(schema, "LaunchpadDatabaseRevision", 15)
                .patches()
                .get(0);
        assertNull(p.revisionInsert());
        assertEquals(PatchKind.COLD, p.kind());
    }

    @Test
    void aConfiguredRevisionTableIsRecognised() throws Exception {
        Files.writeString(
                schema.resolve("patch-2300-01-0.sql"),
                "CREATE TABLE t (id int);\nINSERT INTO deploy.SchemaRevision VALUES (2300, 2, 0);\n");
        PatchSet set = PatchFolder.scan(schema, "deploy.SchemaRevision", 15);
        assertEquals(1, set.problems().size());
        assertTrue(set.problems().get(0).message().contains("records revision 2300-02-0"));
    }
}
