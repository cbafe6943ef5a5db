package org.fastdowntime.patch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.env.Environments;
import org.fastdowntime.model.ProblemType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwaway copy of a database's schema on its own server, to rehearse a bundle on when there is no staging:
 * {@code pg_dump --schema-only} of the target, loaded by {@code psql} into a new database, dropped on close. The
 * copy has the target's tables, functions, types and extensions but none of its rows, so a patch that depends on
 * data passes here and can still fail in the outage (where it is rolled back). The password reaches pg_dump and
 * psql through their environment, never a command line.
 */
public final class ScratchCopy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ScratchCopy.class);
    private static final long TOOL_MINUTES = 10;

    private final EnvironmentSettings target;
    private final String name;
    private final String url;

    private ScratchCopy(EnvironmentSettings target, String name, String url) {
        this.target = target;
        this.name = name;
        this.url = url;
    }

    /** The JDBC URL of the copy (the target's, with the copy's database name). */
    String url() {
        return url;
    }

    String name() {
        return name;
    }

    /**
     * Makes the copy. Fails with a reason a person can act on when the tools are missing, the patcher may not
     * create databases, or the dump or load fails; the half-made copy is dropped then.
     */
    /** What a copy of {@code target}'s schema says of itself (its database comment): dropped after its rehearsal. */
    public static String commentFor(EnvironmentSettings target) {
        return "fastdowntime: a rehearsal copy of the schema of " + target.databaseName()
                + ", dropped when the rehearsal ends";
    }

    static ScratchCopy of(EnvironmentSettings target) throws PatchEngineException {
        Path bin = toolsFor(target);
        String name =
                "fdt_rehearsal_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = Environments.connectMaintenance(target, "fastdowntime rehearsal");
                PreparedStatement ps = c.prepareStatement(
                        "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database WHERE datname = ?")) {
            ps.setString(1, target.databaseName());
            String create;
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new PatchEngineException(
                            ProblemType.DATABASE_UNREACHABLE, "database " + target.databaseName() + " not found");
                }
                create = "CREATE DATABASE " + name + " TEMPLATE template0 ENCODING " + SqlText.literal(rs.getString(1))
                        + " LC_COLLATE " + SqlText.literal(rs.getString(2)) + " LC_CTYPE "
                        + SqlText.literal(rs.getString(3));
            }
            try (Statement st = c.createStatement()) {
                st.execute(create);
                // A copy left behind (a worker killed mid-rehearsal) says whose it was.
                st.execute("COMMENT ON DATABASE " + name + " IS " + SqlText.literal(commentFor(target)));
            }
        } catch (SQLException e) {
            throw new PatchEngineException(
                    ProblemType.DATABASE_UNREACHABLE,
                    "could not create a scratch database on " + target.name() + "'s server: " + e.getMessage(),
                    e.getSQLState(),
                    e);
        }
        ScratchCopy copy = new ScratchCopy(target, name, withDatabase(target.jdbcUrl(), name));
        try {
            copy.load(bin);
            return copy;
        } catch (PatchEngineException | RuntimeException e) {
            copy.close();
            throw e;
        }
    }

    private void load(Path bin) throws PatchEngineException {
        Path dump = null;
        try {
            dump = Files.createTempFile("fastdowntime-schema-", ".sql");
            run(
                    bin.resolve("pg_dump"),
                    target.databaseName(),
                    List.of(
                            "--schema-only",
                            "--no-owner",
                            "--no-privileges",
                            "--no-publications",
                            "--no-subscriptions",
                            // A table locked in production must not hold the rehearsal: pg_dump gives up.
                            "--lock-wait-timeout="
                                    + Math.max(1, target.budgets().lockTimeout().toMillis()) + "ms",
                            "--file",
                            dump.toString()));
            run(
                    bin.resolve("psql"),
                    name,
                    List.of("-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "--file", dump.toString()));
        } catch (IOException e) {
            throw new PatchEngineException(ProblemType.UNREADABLE_FILE, "copying the schema: " + e.getMessage());
        } finally {
            if (dump != null) {
                try {
                    Files.deleteIfExists(dump);
                } catch (IOException e) {
                    log.warn("could not delete {}: {}", dump, e.getMessage());
                }
            }
        }
    }

    /** Runs a PostgreSQL tool on {@code database} of the target's server; its output goes to a file, not a pipe. */
    private void run(Path tool, String database, List<String> args) throws IOException, PatchEngineException {
        Properties url = org.postgresql.Driver.parseURL(target.jdbcUrl(), null);
        if (url == null) {
            throw new PatchEngineException(ProblemType.BAD_ARGUMENTS, "cannot read " + target.name() + "'s JDBC URL");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(tool.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("PG"));
        env.put("PGHOST", url.getProperty("PGHOST", "localhost").split(",")[0]);
        env.put("PGPORT", url.getProperty("PGPORT", "5432").split(",")[0]);
        env.put("PGDATABASE", database);
        String user = target.user() != null ? target.user() : url.getProperty("user");
        if (user != null) {
            env.put("PGUSER", user);
        }
        String password = target.password() != null ? target.password() : url.getProperty("password");
        if (password != null) {
            env.put("PGPASSWORD", password);
        }
        if (url.getProperty("sslmode") != null) {
            env.put("PGSSLMODE", url.getProperty("sslmode"));
        }
        env.put("PGAPPNAME", "fastdowntime rehearsal");
        Path out = Files.createTempFile("fastdowntime-tool-", ".log");
        try {
            Process p =
                    pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
            boolean ended;
            try {
                ended = p.waitFor(TOOL_MINUTES, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new PatchEngineException(ProblemType.DATABASE_UNREACHABLE, tool.getFileName() + " interrupted");
            }
            if (!ended) {
                p.destroyForcibly();
                throw new PatchEngineException(
                        ProblemType.DATABASE_UNREACHABLE,
                        tool.getFileName() + " took more than " + TOOL_MINUTES + " minutes");
            }
            if (p.exitValue() != 0) {
                String said = Files.readString(out).strip();
                throw new PatchEngineException(
                        ProblemType.DATABASE_UNREACHABLE,
                        tool.getFileName() + " exited " + p.exitValue() + ": "
                                + (said.length() > 500 ? said.substring(0, 500) + "…" : said));
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /**
     * The directory of pg_dump and psql for the target's server: the installed server's own version under
     * /usr/lib/postgresql when present (pg_dump refuses a newer server), else the first on PATH.
     */
    private static Path toolsFor(EnvironmentSettings target) throws PatchEngineException {
        int major;
        try (Connection c = Environments.connect(target, "fastdowntime rehearsal")) {
            major = Databases.serverVersionNum(c) / 10000;
        } catch (SQLException e) {
            throw new PatchEngineException(ProblemType.DATABASE_UNREACHABLE, e.getMessage(), e.getSQLState(), e);
        }
        List<Path> candidates = new ArrayList<>();
        Path versioned = Path.of("/usr/lib/postgresql", String.valueOf(major), "bin");
        candidates.add(versioned);
        try (Stream<Path> dirs = Files.list(Path.of("/usr/lib/postgresql"))) {
            dirs.map(d -> d.resolve("bin")).sorted(Comparator.reverseOrder()).forEach(candidates::add);
        } catch (IOException e) {
            // no Debian layout: PATH only
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir));
            }
        }
        for (Path dir : candidates) {
            if (Files.isExecutable(dir.resolve("pg_dump")) && Files.isExecutable(dir.resolve("psql"))) {
                return dir;
            }
        }
        throw new PatchEngineException(
                ProblemType.BAD_ARGUMENTS,
                "pg_dump and psql were not found (PostgreSQL " + major + "'s client, e.g. Debian's postgresql-client-"
                        + major + ")");
    }

    static String withDatabase(String jdbcUrl, String database) {
        return jdbcUrl.replaceFirst("^(jdbc:postgresql://[^/?]*/)[^?]*", "$1" + database);
    }

    /** Drops the copy; every session of it goes too. */
    @Override
    public void close() {
        try (Connection c = Environments.connectMaintenance(target, "fastdowntime rehearsal");
                Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (PatchEngineException | SQLException e) {
            log.warn("Could not drop the rehearsal database {}: {}", name, e.getMessage());
        }
    }
}
