package org.fastdowntime.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A folder of the repository as it is at one revision, exported with {@code git archive} into a temporary
 * directory that closing removes.
 *
 * @param dir the temporary directory
 * @param path the folder's path in the repository
 */
record ExportedTree(Path dir, String path) implements AutoCloseable {
    static ExportedTree of(Git git, String revision, String path) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("fastdowntime-tree-");
        Path tar = dir.resolve("tree.tar");
        git.run("archive", "--format=tar", "-o", tar.toString(), revision, path);
        Process p = new ProcessBuilder("tar", "-x", "-f", tar.toString(), "-C", dir.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("tar failed: " + out);
        }
        return new ExportedTree(dir, path);
    }

    /** The exported folder. */
    Path folder() {
        return dir.resolve(path);
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
