package org.fastdowntime.pgbouncer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A pgbouncer of its own, for the benchmark and the tests: Debian's binary, a generated ini on a
 * free loopback port, transaction pooling, trust authentication for the given users. pgbouncer
 * refuses to run as root, so as root it runs as the {@code postgres} system user.
 */
public final class LocalPgBouncer implements AutoCloseable {
    public static final String BINARY = "/usr/sbin/pgbouncer";

    private final Path dir;
    private final Process process;
    private final int port;
    private final String adminUser;

    private LocalPgBouncer(Path dir, Process process, int port, String adminUser) {
        this.dir = dir;
        this.process = process;
        this.port = port;
        this.adminUser = adminUser;
    }

    /** The process started for it (pgbouncer itself, or the runuser above it when run as root). */
    public long pid() {
        return process.pid();
    }

    /**
     * @param databases pgbouncer database name → libpq connection string of the real database
     * @param users the users clients log in as (the first is the admin user)
     */
    public static LocalPgBouncer start(Map<String, String> databases, Collection<String> users, int poolSize)
            throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IOException("pgbouncer is not installed (" + BINARY + "); apt-get install pgbouncer");
        }
        Path dir = Files.createTempDirectory("fastdowntime-pgbouncer-");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String admin = users.iterator().next();
        writeConfig(dir, port, databases, users, admin, poolSize);
        List<String> argv = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            run(List.of("chown", "-R", "postgres", dir.toString()));
            argv.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        argv.addAll(List.of(BINARY, dir.resolve("pgbouncer.ini").toString()));
        Process p = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout").toFile())
                .start();
        LocalPgBouncer b = new LocalPgBouncer(dir, p, port, admin);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!b.listening()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                String log = Files.exists(dir.resolve("pgbouncer.log"))
                        ? Files.readString(dir.resolve("pgbouncer.log"))
                        : "";
                b.close();
                throw new IOException("pgbouncer did not start: " + Files.readString(dir.resolve("stdout")) + log);
            }
            Thread.sleep(20);
        }
        return b;
    }

    /** pgbouncer.ini (transaction pooling, trust on loopback, {@code admin} on the console) and its users. */
    private static void writeConfig(
            Path dir, int port, Map<String, String> databases, Collection<String> users, String admin, int poolSize)
            throws IOException {
        StringBuilder ini = new StringBuilder("[databases]\n");
        databases.forEach(
                (name, conn) -> ini.append(name).append(" = ").append(conn).append('\n'));
        ini.append(String.join(
                "\n",
                "",
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                "listen_port = " + port,
                "unix_socket_dir = " + dir,
                "auth_type = trust",
                "auth_file = " + dir.resolve("userlist.txt"),
                "admin_users = " + admin,
                "pool_mode = transaction",
                "max_client_conn = 2000",
                "default_pool_size = " + poolSize,
                "ignore_startup_parameters = extra_float_digits,options",
                "server_reset_query =",
                "logfile = " + dir.resolve("pgbouncer.log"),
                "pidfile = " + dir.resolve("pgbouncer.pid"),
                ""));
        Files.writeString(dir.resolve("pgbouncer.ini"), ini.toString());
        StringBuilder userlist = new StringBuilder();
        for (String u : users) {
            userlist.append('"').append(u).append("\" \"\"\n");
        }
        Files.writeString(dir.resolve("userlist.txt"), userlist.toString());
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    public String adminUser() {
        return adminUser;
    }

    /**
     * JDBC URL of a pgbouncer database for {@code user}, with the settings transaction pooling needs.
     */
    public String url(String database, String user) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + user + "&prepareThreshold=0";
    }

    public String log() throws IOException {
        Path log = dir.resolve("pgbouncer.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private static void run(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        try {
            Path pid = dir.resolve("pgbouncer.pid");
            if (Files.exists(pid)) {
                run(List.of("kill", "-TERM", Files.readString(pid).strip()));
            }
        } catch (IOException | InterruptedException e) {
            // the process handle below is the fallback
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
