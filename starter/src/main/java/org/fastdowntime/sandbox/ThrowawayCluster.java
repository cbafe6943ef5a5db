package org.fastdowntime.sandbox;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of its own, from the installed binaries, for machines where no server
 * answers on localhost. PostgreSQL refuses to run as root, so as root it runs as the {@code
 * postgres} system user (or {@code nobody}). Listens on 127.0.0.1 only, trusts local connections,
 * and is deleted on {@link #close()}.
 */
public final class ThrowawayCluster implements AutoCloseable {
    private final Path dir;
    private final PostgresBinaries binaries;
    private final Path bin;
    private final String runAs;
    private final int port;
    private final String serverOptions;

    private ThrowawayCluster(Path dir, PostgresBinaries binaries, String runAs, int port, String serverOptions) {
        this.dir = dir;
        this.binaries = binaries;
        this.bin = binaries.bin();
        this.runAs = runAs;
        this.port = port;
        this.serverOptions = serverOptions;
    }

    /** The postmaster's process id, from its pid file. */
    public long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(dir.resolve("data").resolve("postmaster.pid"))
                .get(0)
                .strip());
    }

    public static ThrowawayCluster start() throws IOException, InterruptedException {
        return start("-c fsync=off");
    }

    /**
     * @param serverOptions extra postgres options, e.g. {@code -c max_connections=300}
     */
    public static ThrowawayCluster start(String serverOptions) throws IOException, InterruptedException {
        return start(serverOptions, PostgresBinaries.find());
    }

    public static ThrowawayCluster start(String serverOptions, PostgresBinaries bin)
            throws IOException, InterruptedException {
        String runAs = "root".equals(System.getProperty("user.name")) ? unprivilegedUser() : null;
        Path dir = Files.createTempDirectory("fastdowntime-pg-");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ThrowawayCluster c = new ThrowawayCluster(dir, bin, runAs, port, serverOptions);
        if (runAs != null) {
            c.run(List.of("chown", "-R", runAs, dir.toString()), false);
        }
        c.run(
                List.of(
                        c.bin.resolve("initdb").toString(),
                        "-D",
                        dir.resolve("data").toString(),
                        "-U",
                        "postgres",
                        "-A",
                        "trust",
                        "-E",
                        "UTF8",
                        "--no-sync"),
                true);
        c.startServer();
        return c;
    }

    /**
     * A streaming standby of this cluster, as production has them: {@code pg_basebackup -R} from the
     * installed binaries into a directory of its own, started on its own port as a hot standby whose
     * {@code cluster_name} (the name the primary's pg_stat_replication shows) is {@code name}.
     */
    public ThrowawayCluster standby(String name) throws IOException, InterruptedException {
        Path standbyDir = Files.createTempDirectory("fastdowntime-standby-");
        int standbyPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            standbyPort = socket.getLocalPort();
        }
        ThrowawayCluster standby = new ThrowawayCluster(
                standbyDir, binaries, runAs, standbyPort, serverOptions + " -c hot_standby=on -c cluster_name=" + name);
        if (runAs != null) {
            run(List.of("chown", "-R", runAs, standbyDir.toString()), false);
        }
        run(
                List.of(
                        bin.resolve("pg_basebackup").toString(),
                        "-h",
                        "127.0.0.1",
                        "-p",
                        String.valueOf(port),
                        "-U",
                        "postgres",
                        "-D",
                        standbyDir.resolve("data").toString(),
                        "-R",
                        "-X",
                        "stream",
                        "-c",
                        "fast",
                        "--no-sync"),
                true);
        standby.startServer();
        return standby;
    }

    /** Starts the server again after {@link #stop()}. */
    public void startServer() throws IOException, InterruptedException {
        run(
                List.of(
                        bin.resolve("pg_ctl").toString(),
                        "-D",
                        dir.resolve("data").toString(),
                        "-l",
                        dir.resolve("log").toString(),
                        "-w",
                        "-o",
                        "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir + " " + serverOptions,
                        "start"),
                true);
    }

    /**
     * Stops the server (fast shutdown: sessions are ended, transactions rolled back); the data stays.
     */
    public void stop() throws IOException, InterruptedException {
        run(
                List.of(
                        bin.resolve("pg_ctl").toString(),
                        "-D",
                        dir.resolve("data").toString(),
                        "-m",
                        "fast",
                        "-w",
                        "stop"),
                true);
    }

    /** One statement as the superuser on the maintenance database (CREATE DATABASE, CHECKPOINT, …). */
    /** Creates {@code database} and builds it from the baseline of {@code folder} (its patches stay pending). */
    public void createDatabase(String database, java.nio.file.Path folder) throws Exception {
        execute("CREATE DATABASE " + database);
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url(database))) {
            new org.fastdowntime.patch.PatchEngine(org.fastdowntime.patch.EngineSettings.defaults())
                    .loadBaseline(
                            c,
                            org.fastdowntime.patch.PatchFolder.scan(
                                    folder, org.fastdowntime.patch.EngineSettings.DEFAULT_REVISION_TABLE, 15));
        }
    }

    public void execute(String sql) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url("postgres"));
                java.sql.Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    public int port() {
        return port;
    }

    public PostgresBinaries binaries() {
        return binaries;
    }

    private static String unprivilegedUser() throws IOException {
        String passwd = Files.readString(Path.of("/etc/passwd"), StandardCharsets.UTF_8);
        return passwd.lines().anyMatch(l -> l.startsWith("postgres:")) ? "postgres" : "nobody";
    }

    private void run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        if (asPostgres && runAs != null) {
            argv.addAll(List.of("runuser", "-u", runAs, "--"));
        }
        argv.addAll(command);
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed:\n" + out);
        }
    }

    @Override
    public void close() {
        try {
            run(
                    List.of(
                            bin.resolve("pg_ctl").toString(),
                            "-D",
                            dir.resolve("data").toString(),
                            "-m",
                            "immediate",
                            "-w",
                            "stop"),
                    true);
        } catch (IOException | InterruptedException e) {
            System.err.println("fastdowntime: could not stop the throwaway cluster in " + dir + ": " + e.getMessage());
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            System.err.println("fastdowntime: could not delete " + dir);
        }
    }
}
