package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apply --environment}: a staging that fell behind is brought up in one transaction by a person; production
 * is refused, a failing patch changes nothing, and a second run has nothing to do.
 */
class ApplyCommandTest {
    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    Path folder;
    Path config;

    @BeforeEach
    void staging() throws Exception {
        folder = db.demoFolder(dir, name -> true);
        String url = db.url().replaceAll("\\?.*$", "");
        config = Files.writeString(
                dir.resolve("worker.yaml"),
                String.join(
                        "\n",
                        "environments:",
                        "  production:",
                        "    jdbcUrl: jdbc:postgresql://127.0.0.1:5432/never_connected",
                        "    user: postgres",
                        "    patches: " + folder,
                        "    approvers: [alice]",
                        "    staging: qastaging",
                        "  qastaging:",
                        "    jdbcUrl: " + url,
                        "    user: postgres",
                        "    patches: " + folder,
                        "    approvers: [alice]",
                        ""));
    }

    private long revisions() throws Exception {
        return db.count("SELECT count(*) FROM LaunchpadDatabaseRevision");
    }

    @Test
    void aStagingIsBroughtUpInOneTransactionAndProductionIsRefused() throws Exception {
        Cli production = Cli.run("apply", "--config", config.toString(), "--environment", "production");
        assertEquals(2, production.exit(), production.err());
        assertTrue(production.err().contains("production is no environment's staging"), production.err());

        Cli unknown = Cli.run("apply", "--config", config.toString(), "--environment", "qastagign");
        assertEquals(2, unknown.exit(), unknown.err());
        assertTrue(unknown.err().contains("configured: [production, qastaging]"), unknown.err());

        Cli dry = Cli.run("apply", "--config", config.toString(), "--environment", "qastaging", "--dry-run");
        assertEquals(0, dry.exit(), dry.err());
        assertTrue(dry.out().contains("would apply 2300-01-0, 2300-02-0, 2300-04-0"), dry.out());
        long before = revisions();

        Files.writeString(folder.resolve("patch-2300-07-0.sql"), "ALTER TABLE no_such_table ADD COLUMN x int;\n");
        Cli failing = Cli.run("apply", "--config", config.toString(), "--environment", "qastaging");
        assertTrue(failing.exit() != 0, failing.out());
        assertTrue(failing.err().contains("2300-07-0"), failing.err());
        assertEquals(before, revisions(), "one transaction: nothing of the set was recorded");
        assertEquals(0, db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'bugtag'"), "nor applied");

        Files.delete(folder.resolve("patch-2300-07-0.sql"));
        Cli applied = Cli.run("apply", "--config", config.toString(), "--environment", "qastaging", "--by", "rm");
        assertEquals(0, applied.exit(), applied.err());
        assertTrue(applied.out().contains("cold patch(es) applied in one transaction"), applied.out());
        assertTrue(revisions() > before, applied.out());
        assertEquals(1, db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'bugtag'"));

        Cli again = Cli.run("apply", "--config", config.toString(), "--environment", "qastaging");
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("no pending cold patch; nothing applied"), again.out());
    }
}
