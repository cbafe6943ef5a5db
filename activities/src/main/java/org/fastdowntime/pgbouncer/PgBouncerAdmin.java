package org.fastdowntime.pgbouncer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * pgbouncer's admin console, through {@code psql}: the JDBC driver (42.7.6 and later) sends {@code
 * SET extra_float_digits} after logging in, which the admin console of pgbouncer before 1.25
 * refuses ("SET failed"). The password goes to psql through its environment, never on a command
 * line.
 */
public final class PgBouncerAdmin {
    private final PgBouncerSettings settings;

    public PgBouncerAdmin(PgBouncerSettings settings) {
        this.settings = settings;
    }

    /** A started admin command, so the caller can bound how long it waits (PAUSE can block). */
    public final class Running {
        private final Process process;
        private final String command;

        private Running(Process process, String command) {
            this.process = process;
            this.command = command;
        }

        /**
         * True when the command finished within {@code timeout}; throws if it finished with an error.
         */
        public boolean await(Duration timeout) throws IOException, InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return false;
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                throw new IOException(
                        "pgbouncer " + settings.host() + ":" + settings.port() + " refused '" + command + "': " + out);
            }
            return true;
        }

        public void kill() {
            process.destroyForcibly();
        }
    }

    public Running start(String command) throws IOException {
        return new Running(
                psql("-v", "ON_ERROR_STOP=1", "-c", command)
                        .redirectErrorStream(true)
                        .start(),
                command);
    }

    /** A psql process kept open on the admin console (see {@link PsqlSession}). */
    PsqlSession session() throws IOException {
        return new PsqlSession(psql());
    }

    private ProcessBuilder psql(String... extra) {
        List<String> argv = new ArrayList<>(List.of(
                "psql",
                "-X",
                "-q",
                "-A",
                "-F",
                "\t",
                "-h",
                settings.host(),
                "-p",
                String.valueOf(settings.port()),
                "-U",
                settings.adminUser(),
                "-d",
                "pgbouncer"));
        argv.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(argv);
        Map<String, String> env = pb.environment();
        env.remove("PGPASSWORD");
        if (settings.adminPassword() != null) {
            env.put("PGPASSWORD", settings.adminPassword());
        }
        env.put("PGCONNECT_TIMEOUT", "5");
        env.put("PGAPPNAME", "fastdowntime");
        return pb;
    }

    /** Runs a command to its end (at most 30 s) and returns its output. */
    public String run(String command) throws IOException, InterruptedException {
        Running r = start(command);
        if (!r.process.waitFor(30, TimeUnit.SECONDS)) {
            r.kill();
            throw new IOException("pgbouncer did not answer '" + command + "' within 30 s");
        }
        String out = new String(r.process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (r.process.exitValue() != 0) {
            throw new IOException("pgbouncer "
                    + settings.host()
                    + ":"
                    + settings.port()
                    + " refused '"
                    + command
                    + "': "
                    + out.strip());
        }
        return out;
    }

    /** A SHOW command's rows, as column → value maps. */
    public List<Map<String, String>> show(String what) throws IOException, InterruptedException {
        String[] lines = run("SHOW " + what).split("\n");
        List<Map<String, String>> rows = new ArrayList<>();
        if (lines.length == 0 || lines[0].isBlank()) {
            return rows;
        }
        String[] header = lines[0].split("\t", -1);
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].startsWith("(") || lines[i].isBlank()) {
                continue; // "(3 rows)"
            }
            String[] cells = lines[i].split("\t", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int k = 0; k < header.length && k < cells.length; k++) {
                row.put(header[k], cells[k]);
            }
            rows.add(row);
        }
        return rows;
    }
}
