package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.fastdowntime.release.Git;
import org.fastdowntime.release.RcState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RC mode enforced by the real command as a real git pre-receive hook, against real pushes. */
class LandingCheckCommandTest {
    @TempDir
    Path dir;

    Git central;
    Git clone;
    Path state;

    @BeforeEach
    void repositories() throws Exception {
        Path c = dir.resolve("central");
        Files.createDirectories(c);
        central = new Git(c);
        central.run("init", "-q", "-b", "devel");
        central.run("config", "receive.denyCurrentBranch", "updateInstead");
        Files.writeString(c.resolve("README"), "Launchpad\n");
        central.run("add", "-A");
        central.run("-c", "user.name=a", "-c", "user.email=a@b", "commit", "-q", "-m", "Start.");
        hook("");
        state = c.resolve(".git").resolve(RcState.FILE);
        Path k = dir.resolve("clone");
        new Git(dir).run("clone", "-q", c.toString(), k.toString());
        clone = new Git(k);
        clone.run("config", "user.name", "Dev");
        clone.run("config", "user.email", "dev@example.com");
    }

    /** Installs the real command as the central repository's pre-receive hook, with {@code args}. */
    private void hook(String args) throws IOException {
        Path hook = central.repo().resolve(".git/hooks/pre-receive");
        Files.writeString(
                hook,
                "#!/bin/sh\nexec '"
                        + TestJvm.java()
                        + "' "
                        + String.join(" ", TestJvm.FLAGS)
                        + " -cp '"
                        + System.getProperty("java.class.path")
                        + "' "
                        + Main.class.getName()
                        + " landing-check "
                        + args
                        + "\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private String commitFile(String path, String message) throws Exception {
        Path f = clone.repo().resolve(path);
        Files.createDirectories(f.getParent());
        Files.writeString(f, message);
        clone.run("add", "-A");
        clone.run("commit", "-q", "-m", message);
        return clone.resolve("HEAD");
    }

    private String commit(String message) throws Exception {
        Path f = clone.repo().resolve("file-" + System.nanoTime());
        Files.writeString(f, message);
        clone.run("add", "-A");
        clone.run("commit", "-q", "-m", message);
        return clone.resolve("HEAD");
    }

    private void push() throws Exception {
        clone.run("push", "-q", "origin", "devel");
    }

    private void rcMode(List<String> approved) throws IOException {
        new RcState(true, "devel", "monthly-x", "abc", Instant.now(), approved).write(state);
    }

    @Test
    void withoutRcModeEverythingLands() throws Exception {
        commit("Ordinary change.");
        push();
        assertEquals(clone.resolve("HEAD"), central.resolve("devel"));
    }

    @Test
    void inRcModeOnlyReleaseCriticalOrApprovedCommitsLand() throws Exception {
        rcMode(List.of());
        commit("A feature nobody asked for now.");
        IOException refused = assertThrows(IOException.class, this::push);
        assertTrue(refused.getMessage().contains("devel is in RC mode"), refused.getMessage());
        assertTrue(refused.getMessage().contains("has no [release-critical=<reason>]"), refused.getMessage());

        clone.run("reset", "-q", "--hard", "origin/devel");
        String tagged = commit("[release-critical=fixes qa-bad 2300-02-0] Revert the heat column default.");
        push();
        assertEquals(tagged, central.resolve("devel"));

        String approved = commit("Tiny fix a lead looked at.");
        rcMode(List.of(approved.substring(0, 10)));
        push();
        assertEquals(approved, central.resolve("devel"));
    }

    @Test
    void craftedMessagesDoNotBypassIt() throws Exception {
        rcMode(List.of());
        for (String message : List.of(
                "Feature\n\n[release-critical=trust me] in the body",
                "Feature [release-critical=late in the subject]",
                "[release-critical=] empty reason",
                "[release-critical= ] blank reason",
                "[Release-Critical=case] wrong case",
                "[release-critical=unterminated")) {
            clone.run("reset", "-q", "--hard", "origin/devel");
            commit(message);
            assertThrows(IOException.class, this::push, message);
        }
        // A tagged merge cannot carry an untagged commit in.
        clone.run("reset", "-q", "--hard", "origin/devel");
        clone.run("checkout", "-q", "-b", "feature");
        commit("Untagged work.");
        clone.run("checkout", "-q", "devel");
        clone.run("merge", "-q", "--no-ff", "-m", "[release-critical=needed] Merge feature.", "feature");
        IOException e = assertThrows(IOException.class, this::push);
        assertTrue(e.getMessage().contains("Untagged work."), e.getMessage());
        assertFalse(central.isAncestor(clone.resolve("HEAD"), "devel"));
    }

    @Test
    void databaseAndOtherCodeCannotLandInTheSamePushWhenAsked() throws Exception {
        hook("--separate-db-changes database/schema");
        commitFile("database/schema/patch-2300-08-0.sql", "ALTER TABLE bug ADD COLUMN x integer;");
        commitFile("lib/lp/bugs/model/bug.py", "x = None");
        IOException e = assertThrows(IOException.class, this::push);
        assertTrue(
                e.getMessage().contains("the push to devel changes database code and other code together")
                        && e.getMessage().contains("Database: database/schema/patch-2300-08-0.sql")
                        && e.getMessage().contains("other: lib/lp/bugs/model/bug.py"),
                e.getMessage());
        assertFalse(e.getMessage().contains("RC mode"), "RC mode is off: " + e.getMessage());

        clone.run("reset", "-q", "--hard", "origin/devel");
        String db = commitFile("database/schema/patch-2300-08-0.sql", "ALTER TABLE bug ADD COLUMN x integer;");
        push();
        assertEquals(db, central.resolve("devel"), "database code alone lands");
        String code = commitFile("lib/lp/bugs/model/bug.py", "x = None");
        push();
        assertEquals(code, central.resolve("devel"), "other code alone lands");
    }

    @Test
    void withoutTheOptionDatabaseAndOtherCodeLandTogether() throws Exception {
        commitFile("database/schema/patch-2300-08-0.sql", "ALTER TABLE bug ADD COLUMN x integer;");
        String code = commitFile("lib/lp/bugs/model/bug.py", "x = None");
        push();
        assertEquals(code, central.resolve("devel"));
    }

    @Test
    void anUnreadableStateRefusesRatherThanOpensDevel() throws Exception {
        Files.writeString(state, "{ not json");
        commit("Anything.");
        IOException e = assertThrows(IOException.class, this::push);
        assertTrue(e.getMessage().contains("cannot read RC state"), e.getMessage());
    }
}
