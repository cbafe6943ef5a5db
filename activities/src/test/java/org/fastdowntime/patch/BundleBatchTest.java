package org.fastdowntime.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.fastdowntime.model.AppliedPatch;
import org.fastdowntime.model.ApplyReport;
import org.fastdowntime.model.Deployment;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchKind;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The cold bundle in one round trip: timed by the server between its marks, a failure found, nothing left over. */
class BundleBatchTest {
    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path folder;

    private static final Deployment WHO = new Deployment("bundle-test", "tester", "main", "abc123");
    private final PatchEngine engine = new PatchEngine(EngineSettings.defaults());

    @BeforeEach
    void copyDemoPatchesAndLoadBaseline() throws Exception {
        TestDatabase.copyDemoPatches(folder, name -> true);
        db.loadBaseline(folder);
    }

    private PatchSet scan() throws IOException {
        return PatchFolder.scan(folder, EngineSettings.DEFAULT_REVISION_TABLE, 15);
    }

    private ApplyReport applyCold(Alongside alongside) throws Exception {
        try (Connection c = db.connect()) {
            PatchSet set = scan();
            ColdBundle bundle = ColdBundle.of(set, engine.pending(c, set, PatchKind.COLD));
            return engine.beginCold(c).apply(set, bundle, WHO, () -> {}, null, alongside);
        }
    }

    private void append(String file, String sql) throws IOException {
        Files.writeString(folder.resolve(file), Files.readString(folder.resolve(file)) + sql);
    }

    private AppliedPatch applied(ApplyReport report, String id) {
        return report.applied().stream()
                .filter(a -> a.id().equals(PatchId.parse(id)))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void eachPatchIsTimedBetweenItsMarksOnTheServersClock() throws Exception {
        append("patch-2300-04-0.sql", "SELECT pg_sleep(0.3);\n");
        ApplyReport report = applyCold(Alongside.NONE);
        assertEquals(5, report.applied().size());
        assertTrue(applied(report, "2300-04-0").seconds() >= 0.3, report.toString());
        assertTrue(applied(report, "2300-05-0").seconds() < 0.3, report.toString());
        assertEquals(
                1,
                db.count("SELECT count(*) FROM fastdowntime.patch_history WHERE minor = 4 AND seconds >= 0.3"
                        + " AND deployment_id = 'bundle-test'"));
        // One patch ends when the next starts: the revision rows chain, mark to mark.
        assertEquals(
                4,
                db.count("SELECT count(*) FROM LaunchpadDatabaseRevision a JOIN LaunchpadDatabaseRevision b"
                        + " ON b.start_time = a.end_time WHERE a.major = 2300 AND b.major = 2300"));
        assertEquals(0, db.count("SELECT count(*) FROM fastdowntime.apply_marks"), "the marks were taken back");
    }

    @Test
    void aPatchThatFailsOnlyInTheBatchIsRunAgainAndTheRestFollowInANewRoundTrip() throws Exception {
        db.exec("CREATE SEQUENCE flaky");
        // Fails the first time it runs (in the batch), passes when run again statement by statement.
        append("patch-2300-04-0.sql", "SELECT 1 / (nextval('flaky') - 1);\n");
        ApplyReport report = applyCold(Alongside.NONE);
        assertEquals(5, report.applied().size(), report.toString());
        assertEquals(2, db.count("SELECT last_value FROM flaky"), "run in the batch, then once more on its own");
        assertEquals(6, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision"));
        assertEquals(1, db.count("SELECT count(*) FROM pg_class WHERE relname = 'bugtag'"), "the patches after it");
        assertEquals(0, db.count("SELECT count(*) FROM fastdowntime.apply_marks"));
    }

    @Test
    void aFailingPatchIsNamedWithItsLineAndNothingIsLeft() throws Exception {
        append("patch-2300-05-0.sql", "ALTER TABLE no_such_table ADD COLUMN x int;\n");
        long lines = Files.readAllLines(folder.resolve("patch-2300-05-0.sql")).size();
        PatchEngineException e = assertThrows(PatchEngineException.class, () -> applyCold(Alongside.NONE));
        assertTrue(e.getMessage().startsWith("patch-2300-05-0.sql:" + lines + ": "), e.getMessage());
        assertEquals(1, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision"), "only the baseline's row");
        assertEquals(0, db.count("SELECT count(*) FROM fastdowntime.apply_marks"));
    }

    @Test
    void whatIsSentAlongsideRunsInTheSameTransactionAndIsHeard() throws Exception {
        List<String> heard = new ArrayList<>();
        boolean[] committed = {false};
        Alongside alongside = new Alongside() {
            @Override
            public List<String> before() {
                return List.of("DO $d$BEGIN RAISE NOTICE 'before the patches'; END$d$");
            }

            @Override
            public List<String> after() {
                return List.of("CREATE TABLE sent_after (id int)");
            }

            @Override
            public void heard(List<String> notices) {
                heard.addAll(notices);
            }

            @Override
            public void committed() {
                committed[0] = true;
            }
        };
        applyCold(alongside);
        assertTrue(heard.contains("before the patches"), heard.toString());
        assertTrue(committed[0]);
        assertEquals(
                1,
                db.count("SELECT count(*) FROM pg_class c, LaunchpadDatabaseRevision r WHERE c.relname ="
                        + " 'sent_after' AND (r.major, r.minor, r.patch) = (2300, 6, 0) AND c.xmin = r.xmin"),
                "created by the transaction that recorded the patches");
    }

    @Test
    void aStatementSentBeforeThePatchesThatFailsStopsThemAll() throws Exception {
        Alongside failing = new Alongside() {
            @Override
            public List<String> before() {
                return List.of("DO $d$BEGIN RAISE EXCEPTION USING ERRCODE = 'FDTXX', MESSAGE = 'no'; END$d$");
            }
        };
        PatchEngineException e = assertThrows(PatchEngineException.class, () -> applyCold(failing));
        assertEquals("FDTXX", e.sqlState());
        assertEquals(1, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision"), "nothing applied");
    }

    @Test
    void aTimingRunLeavesNoMark() throws Exception {
        try (Connection c = db.connect()) {
            PatchSet set = scan();
            assertEquals(
                    5,
                    engine.timeCold(c, set, engine.pending(c, set, PatchKind.COLD))
                            .patches()
                            .size());
        }
        assertEquals(0, db.count("SELECT count(*) FROM fastdowntime.apply_marks"));
    }
}
