package org.fastdowntime.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real {@code pgbench} from the PostgreSQL packages as the client load: TPC-B-like
 * transactions, N clients, for a fixed time. pgbench does not reconnect a client whose session was
 * terminated: it aborts that client, so the figures are pgbench's own — transactions processed,
 * failed, and clients aborted.
 */
final class PgbenchLoad implements AutoCloseable {
    private static final Pattern PROCESSED = Pattern.compile("number of transactions actually processed: (\\d+)");
    private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");
    private static final Pattern ABORTED = Pattern.compile("client \\d+ (script \\d+ )?aborted");
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+)");

    /** What pgbench said at the end. */
    record Result(long processed, long failed, long abortedClients, double tps) {}

    private final Process process;
    private final StringBuilder output = new StringBuilder();
    private final Thread reader;

    private PgbenchLoad(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try {
                String all = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                synchronized (output) {
                    output.append(all);
                }
            } catch (IOException ignored) {
                // the process went away; what it said so far is all there is
            }
        });
        reader.start();
    }

    /** {@code pgbench -i} at {@code scale}, as the superuser, then the application role may use its tables. */
    static void initialise(Path bin, String host, int port, String database, int scale, String role)
            throws IOException, InterruptedException, SQLException {
        run(List.of(
                bin.resolve("pgbench").toString(),
                "-i",
                "-q",
                "-s",
                String.valueOf(scale),
                "-h",
                host,
                "-p",
                String.valueOf(port),
                "-U",
                "postgres",
                database));
        String url = "jdbc:postgresql://" + host + ":" + port + "/" + database + "?user=postgres";
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement()) {
            st.execute("GRANT SELECT, INSERT, UPDATE ON pgbench_accounts, pgbench_branches, pgbench_tellers,"
                    + " pgbench_history TO " + role);
        }
    }

    /** Starts {@code clients} TPC-B-like clients as {@code user} for {@code seconds}. */
    static PgbenchLoad start(Path bin, String host, int port, String database, String user, int clients, double seconds)
            throws IOException {
        List<String> argv = new ArrayList<>(List.of(
                bin.resolve("pgbench").toString(),
                "-n",
                "-c",
                String.valueOf(clients),
                "-j",
                String.valueOf(Math.min(clients, 4)),
                "-T",
                String.valueOf((int) Math.ceil(seconds)),
                "-h",
                host,
                "-p",
                String.valueOf(port),
                "-U",
                user,
                database));
        return new PgbenchLoad(
                new ProcessBuilder(argv).redirectErrorStream(true).start());
    }

    /** pgbench's process id. */
    long pid() {
        return process.pid();
    }

    /** Waits for pgbench to finish its run and reads its summary. */
    Result await() throws InterruptedException {
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        reader.join();
        String out;
        synchronized (output) {
            out = output.toString();
        }
        return new Result(number(PROCESSED, out), number(FAILED, out), count(ABORTED, out), decimal(TPS, out));
    }

    private static long number(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static double decimal(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static long count(Pattern p, String text) {
        Matcher m = p.matcher(text);
        long n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static void run(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", argv) + " failed:\n" + out);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        reader.join();
    }
}
