package org.fastdowntime.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fastdowntime.model.ApplyReport;
import org.fastdowntime.model.Deployment;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchPlan;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.model.ScriptPlanEntry;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What follows the patches in the window's transaction, on a real PostgreSQL: Launchpad's
 * repeatable scripts ({@code trusted.sql}, {@code comments.sql}) and the grants on new objects.
 */
class FollowUpsTest {
    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path folder;

    private static final Deployment WHO = new Deployment("window-1", "tester", null, null);
    private final String role =
            "fdt_app_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    @BeforeEach
    void folder() throws Exception {
        TestDatabase.copyDemoPatches(folder, name -> name.startsWith("demo-") || name.contains("-01-"));
        db.loadBaseline(folder);
        Files.writeString(
                folder.resolve("trusted.sql"),
                "CREATE OR REPLACE FUNCTION bug_title_words(text) RETURNS integer LANGUAGE sql IMMUTABLE"
                        + " AS $$ SELECT array_length(regexp_split_to_array($1, '\\s+'), 1) $$;\n");
        Files.writeString(folder.resolve("comments.sql"), "COMMENT ON TABLE bug IS 'A problem in a project.';\n");
        try (Connection c = TestDatabase.admin();
                Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + role + " LOGIN");
        }
    }

    @AfterEach
    void dropRole() throws SQLException {
        try (Connection c = db.connect();
                Statement st = c.createStatement()) {
            st.execute("DROP OWNED BY " + role); // its privileges in the test database, before the role goes
        }
        try (Connection c = TestDatabase.admin();
                Statement st = c.createStatement()) {
            st.execute("DROP ROLE IF EXISTS " + role);
        }
    }

    private ApplyReport apply(EngineSettings settings, String... ids) throws Exception {
        try (Connection c = db.connect()) {
            PatchSet set = PatchFolder.scan(folder, settings, 15);
            return new PatchEngine(settings)
                    .applyCold(c, set, List.of(ids).stream().map(PatchId::parse).toList(), WHO);
        }
    }

    private PatchPlan plan(EngineSettings settings) throws Exception {
        try (Connection c = db.connect()) {
            return new PatchEngine(settings).plan(c, PatchFolder.scan(folder, settings, 15), Map.of());
        }
    }

    @Test
    void repeatableScriptsRunAfterThePatchesAndAgainOnlyWhenChangedOrAfterAPatch() throws Exception {
        EngineSettings settings = EngineSettings.defaults();
        PatchPlan before = plan(settings);
        assertEquals(
                List.of("trusted.sql", "comments.sql"),
                before.scripts().stream().map(ScriptPlanEntry::file).toList(),
                "in the configured order");
        assertTrue(before.scripts().stream().allMatch(s -> s.status().equals(ScriptPlanEntry.WOULD_RUN)));

        ApplyReport first = apply(settings, "2300-01-0");
        assertEquals(2, first.followUps().size(), first.followUps().toString());
        assertTrue(
                first.followUps().get(0).startsWith("trusted.sql re-applied in "),
                first.followUps().toString());
        assertEquals(1, db.count("SELECT bug_title_words('two words') - 1"), "trusted.sql ran");
        assertEquals(
                1, db.count("SELECT count(*) FROM pg_description WHERE objoid = 'bug'::regclass AND objsubid = 0"));
        assertEquals(2, db.count("SELECT count(*) FROM " + RevisionStore.SCRIPT_HISTORY_TABLE));
        assertTrue(plan(settings).scripts().stream().allMatch(s -> s.status().equals(ScriptPlanEntry.UNCHANGED)));

        assertEquals(List.of(), apply(settings).followUps(), "no patch ran and nothing changed");

        Files.writeString(folder.resolve("comments.sql"), "COMMENT ON TABLE bug IS 'A problem, reported.';\n");
        PatchPlan changed = plan(settings);
        assertEquals(ScriptPlanEntry.WOULD_RUN, changed.scripts().get(1).status());
        assertEquals(ScriptPlanEntry.UNCHANGED, changed.scripts().get(0).status());
        assertEquals(List.of(), apply(settings).followUps(), "a changed script waits for a patch: no bundle, no run");
        Files.writeString(folder.resolve("patch-2300-02-0.sql"), "CREATE TABLE follows_a_change (x int);\n");
        ApplyReport again = apply(settings, "2300-02-0");
        assertEquals(2, again.followUps().size(), again.followUps().toString());
        assertTrue(again.followUps().get(1).contains("comments.sql re-applied")
                && again.followUps().get(1).contains("changed since it was last applied"));
        assertEquals(4, db.count("SELECT count(*) FROM " + RevisionStore.SCRIPT_HISTORY_TABLE));
    }

    @Test
    void aFailingRepeatableScriptRollsBackTheWholeWindow() throws Exception {
        Files.writeString(folder.resolve("comments.sql"), "COMMENT ON TABLE no_such_table IS 'gone';\n");
        PatchEngineException e =
                assertThrows(PatchEngineException.class, () -> apply(EngineSettings.defaults(), "2300-01-0"));
        assertEquals(ProblemType.PATCH_FAILED, e.type());
        assertTrue(e.getMessage().startsWith("comments.sql:1: "), e.getMessage());
        assertEquals(0, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 1"), "rolled back");
        assertEquals(0, db.count("SELECT count(*) FROM pg_class WHERE relname = 'bugtag'"));
    }

    @Test
    void aRepeatableScriptThatCannotRunInATransactionIsRefusedByThePlan() throws Exception {
        Files.writeString(folder.resolve("trusted.sql"), "CREATE INDEX CONCURRENTLY bug__title__idx ON bug (title);\n");
        PatchPlan p = plan(EngineSettings.defaults());
        assertTrue(
                p.problems().stream()
                        .anyMatch(x ->
                                x.file().equals("trusted.sql") && x.message().contains("cannot")),
                p.problems().toString());
    }

    @Test
    void newTablesAndSequencesAreGrantedInTheSameTransactionAndUsableAtOnce() throws Exception {
        EngineSettings settings = EngineSettings.defaults()
                .withFollowUps(
                        List.of(),
                        List.of(new Grant(role, List.of("SELECT", "INSERT", "UPDATE", "DELETE"), List.of("USAGE"))));
        PatchPlan before = plan(settings);
        assertTrue(
                before.ungranted().contains(role + ": public.bug (SELECT, INSERT, UPDATE, DELETE)"),
                before.ungranted().toString());

        ApplyReport r = apply(settings, "2300-01-0");
        assertEquals(
                List.of(
                        "Granted SELECT, INSERT, UPDATE, DELETE to " + role + " on [public.bugtag].",
                        "Granted USAGE to " + role + " on [public.bugtag_id_seq]."),
                r.followUps());
        String asRole = db.url().replaceAll("user=[^&]*", "user=" + role);
        try (Connection app = DriverManager.getConnection(asRole);
                Statement st = app.createStatement()) {
            st.execute("INSERT INTO bugtag (bug, tag) VALUES (" + db.count("SELECT min(id) FROM bug") + ", 'ui')");
            var rs = st.executeQuery("SELECT count(*) FROM bugtag");
            rs.next();
            assertEquals(1, rs.getInt(1), "the application role reads and writes the new table");
        }
        PatchPlan after = plan(settings);
        assertTrue(
                after.ungranted().stream().noneMatch(u -> u.contains("bugtag")),
                after.ungranted().toString());
        assertTrue(after.ungranted().stream().anyMatch(u -> u.contains("public.bug ")), "an old table is still listed");
    }

    @Test
    void aGrantToAMissingRoleRollsBackTheWindowAndThePlanSaysSo() throws Exception {
        EngineSettings settings = EngineSettings.defaults()
                .withFollowUps(List.of(), List.of(new Grant("fdt_no_such_role", List.of("SELECT"), List.of())));
        assertEquals(
                List.of("fdt_no_such_role: the role does not exist"),
                plan(settings).ungranted());
        PatchEngineException e = assertThrows(PatchEngineException.class, () -> apply(settings, "2300-01-0"));
        assertTrue(
                e.getMessage().startsWith("grants: GRANT SELECT ON TABLE public.bugtag TO \"fdt_no_such_role\""),
                e.getMessage());
        assertEquals(0, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 1"), "rolled back");
    }
}
