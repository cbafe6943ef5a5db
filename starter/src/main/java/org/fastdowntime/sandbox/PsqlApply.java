package org.fastdowntime.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What {@code psql -1 -v ON_ERROR_STOP=1 -f …} takes to apply the same files in one transaction: the
 * reference the engine's apply is measured against. psql is given the files between BEGIN and COMMIT
 * (exactly what {@code -1} wraps them in) and reads the server's clock before BEGIN and after COMMIT,
 * so the figure is the apply alone, without psql's start and connection.
 */
final class PsqlApply {
    private PsqlApply() {}

    /** Milliseconds from before BEGIN to after COMMIT, as the server's clock saw them. */
    static double apply(Path bin, int port, String database, List<Path> files)
            throws IOException, InterruptedException {
        StringBuilder script = new StringBuilder();
        script.append("\\set ON_ERROR_STOP 1\n");
        script.append("SELECT clock_timestamp() AS fdt_t0 \\gset\n");
        script.append("BEGIN;\n");
        for (Path f : files) {
            script.append("\\i '")
                    .append(f.toAbsolutePath().toString().replace("'", "\\'"))
                    .append("'\n");
        }
        script.append("COMMIT;\n");
        script.append("SELECT extract(epoch FROM clock_timestamp() - :'fdt_t0'::timestamptz) * 1000;\n");
        Path file = Files.createTempFile("fastdowntime-psql-apply-", ".sql");
        try {
            Files.writeString(file, script);
            Process p = new ProcessBuilder(
                            bin.resolve("psql").toString(),
                            "-X",
                            "-q",
                            "-t",
                            "-A",
                            "-h",
                            "127.0.0.1",
                            "-p",
                            String.valueOf(port),
                            "-U",
                            "postgres",
                            "-d",
                            database,
                            "-f",
                            file.toString())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException("psql could not apply the patches to " + database + ":\n" + out);
            }
            String[] lines = out.strip().split("\n");
            return Double.parseDouble(lines[lines.length - 1].strip());
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
