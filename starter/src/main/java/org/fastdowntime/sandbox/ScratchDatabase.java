package org.fastdowntime.sandbox;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.fastdowntime.cli.CommandFailure;
import org.fastdowntime.model.ProblemType;

/**
 * A throwaway database built from a patch folder's baseline, with an application role, on the local
 * server (or on a throwaway cluster when none answers). Closing drops both, and the cluster if one
 * was started.
 */
public final class ScratchDatabase implements AutoCloseable {
    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    final String name;
    final String appRole;
    final String adminUrl;
    final String url;
    private final ThrowawayCluster cluster;
    private final PrintWriter out;

    private ScratchDatabase(String name, String appRole, String adminUrl, ThrowawayCluster cluster, PrintWriter out) {
        this.name = name;
        this.appRole = appRole;
        this.adminUrl = adminUrl;
        this.url = adminUrl.replace("/postgres?", "/" + name + "?");
        this.cluster = cluster;
        this.out = out;
    }

    /** Names are {@code PREFIX_xxxxxxxx} and {@code PREFIX_app_xxxxxxxx}. */
    static ScratchDatabase create(String prefix, Path folder, PostgresOption.Source source, PrintWriter out)
            throws Exception {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        ThrowawayCluster cluster = null;
        String adminUrl = SERVER;
        boolean serverAnswers =
                source != PostgresOption.Source.CLUSTER && source != PostgresOption.Source.EMBEDDED && answers(SERVER);
        if (source == PostgresOption.Source.SERVER && !serverAnswers) {
            throw new CommandFailure(
                    ProblemType.DATABASE_UNREACHABLE,
                    "no PostgreSQL answers on 127.0.0.1:5432 as postgres (--postgres server)");
        }
        if (serverAnswers) {
            out.println("PostgreSQL: the server on 127.0.0.1:5432");
        } else {
            PostgresBinaries binaries =
                    source == PostgresOption.Source.EMBEDDED ? PostgresBinaries.embedded() : PostgresBinaries.find();
            out.println("PostgreSQL: "
                    + (source == PostgresOption.Source.AUTO ? "none answers on 127.0.0.1:5432; " : "")
                    + "a throwaway cluster from "
                    + binaries.description());
            out.flush();
            cluster = ThrowawayCluster.start("-c fsync=off", binaries);
            adminUrl = cluster.url("postgres");
        }
        ScratchDatabase db =
                new ScratchDatabase(prefix + "_" + suffix, prefix + "_app_" + suffix, adminUrl, cluster, out);
        try {
            DemoCommand.createRole(adminUrl, db.appRole);
            DemoCommand.createDatabase(adminUrl, db.url, db.name, db.appRole, folder);
        } catch (Exception e) {
            db.close();
            throw e;
        }
        return db;
    }

    boolean ownCluster() {
        return cluster != null;
    }

    private static boolean answers(String url) {
        try (Connection c = DriverManager.getConnection(url)) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try (Connection c = DriverManager.getConnection(adminUrl);
                Statement st = c.createStatement()) {
            st.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            st.execute("DROP ROLE IF EXISTS " + appRole);
        } catch (SQLException e) {
            if (!e.getMessage().contains("does not exist")) {
                System.err.println("fastdowntime: cleanup failed: " + e.getMessage());
            }
            try (Connection c = DriverManager.getConnection(adminUrl);
                    Statement st = c.createStatement()) {
                st.execute("DROP ROLE IF EXISTS " + appRole);
            } catch (SQLException ignored) {
                // reported above
            }
        }
        out.println("Cleaned up: dropped "
                + name
                + " and role "
                + appRole
                + (cluster != null ? "; throwaway cluster removed" : "")
                + ".");
        out.flush();
        if (cluster != null) {
            cluster.close();
        }
    }
}
