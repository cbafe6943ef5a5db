package org.fastdowntime.sandbox;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unpacked PostgreSQL binaries are reused only when they are this user's alone. */
@Tag("unit")
class PostgresBinariesTest {
    @TempDir
    Path dir;

    @Test
    void binariesAnyoneCouldHaveWrittenAreNotReused() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home/bin")).getParent();
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(home.resolve("bin"), PosixFilePermissions.fromString("rwxr-xr-x"));
        assertTrue(PostgresBinaries.trusted(home), "mine, written by no one else");

        Files.setPosixFilePermissions(home.resolve("bin"), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertFalse(PostgresBinaries.trusted(home), "anyone could have replaced initdb");
        Files.setPosixFilePermissions(home.resolve("bin"), PosixFilePermissions.fromString("rwxr-xr-x"));

        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Path link = dir.resolve("linked");
        Files.createSymbolicLink(link, elsewhere);
        assertFalse(PostgresBinaries.trusted(link), "a link to somewhere else");

        if ("root".equals(System.getProperty("user.name"))) {
            Files.setOwner(
                    home, home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
            assertFalse(PostgresBinaries.trusted(home), "someone else's");
        }
    }
}
