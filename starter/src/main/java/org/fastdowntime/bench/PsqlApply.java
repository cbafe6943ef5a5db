package org.fastdowntime.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code psql -v ON_ERROR_STOP=1} applying patch files in one transaction, as {@code psql -1} does:
 * the reference the engine's apply is measured against. The session is opened (and its backend's pid
 * known) before anything is measured, as a DBA's terminal would be; the apply is then timed by the
 * server's clock from before BEGIN to after COMMIT, without psql's start or connection.
 */
final class PsqlApply implements AutoCloseable {
    private static final String READY = "fdt-ready ";
    private static final String DONE = "fdt-done ";

    private final Process process;
    private final Writer in;
    private final BufferedReader out;
    private final int pid;

    private PsqlApply(Process process) throws IOException {
        this.process = process;
        this.in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.pid = Integer.parseInt(send("SELECT '" + READY + "' || pg_backend_pid();\n", READY));
    }

    /** psql's command line, as postgres on {@code database} at 127.0.0.1:{@code port}, then {@code extra}. */
    private static List<String> command(Path bin, int port, String database, String... extra) {
        List<String> argv = new ArrayList<>(List.of(
                bin.resolve("psql").toString(),
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(port),
                "-U",
                "postgres",
                "-d",
                database));
        argv.addAll(List.of(extra));
        return argv;
    }

    /** A psql session connected to {@code database} as postgres. */
    static PsqlApply open(Path bin, int port, String database) throws IOException {
        Process p = new ProcessBuilder(command(bin, port, database, "-t", "-A"))
                .redirectErrorStream(true)
                .start();
        try {
            return new PsqlApply(p);
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** One apply in a fresh session: milliseconds from before BEGIN to after COMMIT. */
    static double apply(Path bin, int port, String database, List<Path> files) throws IOException {
        try (PsqlApply psql = open(bin, port, database)) {
            return psql.apply(files);
        }
    }

    /**
     * {@code psql -1 -v ON_ERROR_STOP=1 -f …} as a shell script runs it: milliseconds of the whole
     * process, its start and connection included.
     */
    static double applyAsScript(Path bin, int port, String database, List<Path> files)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-1"));
        for (Path f : files) {
            args.addAll(List.of("-f", f.toAbsolutePath().toString()));
        }
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command(bin, port, database, args.toArray(String[]::new)))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("psql " + String.join(" ", args) + " failed: " + out.strip());
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    /** The session's backend, which a kick must spare. */
    int pid() {
        return pid;
    }

    /** The files between BEGIN and COMMIT; milliseconds as the server's clock saw them. */
    double apply(List<Path> files) throws IOException {
        StringBuilder script = new StringBuilder("SELECT clock_timestamp() AS fdt_t0 \\gset\nBEGIN;\n");
        for (Path f : files) {
            script.append("\\i '")
                    .append(f.toAbsolutePath().toString().replace("'", "\\'"))
                    .append("'\n");
        }
        script.append("COMMIT;\nSELECT '")
                .append(DONE)
                .append("' || extract(epoch FROM clock_timestamp() - :'fdt_t0'::timestamptz) * 1000;\n");
        return Double.parseDouble(send(script.toString(), DONE));
    }

    /** Sends {@code sql} and reads psql's output up to the line starting with {@code marker}; returns the rest of it. */
    private String send(String sql, String marker) throws IOException {
        in.write(sql);
        in.flush();
        StringBuilder said = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(marker)) {
                return line.substring(marker.length()).strip();
            }
            said.append(line).append('\n');
        }
        throw new IOException("psql stopped before it was done:\n" + said);
    }

    @Override
    public void close() throws IOException {
        try {
            in.write("\\q\n");
            in.flush();
        } catch (IOException ignored) {
            // psql is gone already
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
