package org.fastdowntime.gate;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.env.Environments;
import org.fastdowntime.patch.Databases;
import org.fastdowntime.patch.PatchEngineException;

/**
 * PostgreSQL's own gate: {@code ALTER DATABASE x ALLOW_CONNECTIONS false}. It refuses every new
 * connection to the database — superusers included, and whatever role or pooler a client comes
 * through — while existing sessions (the patcher's, opened beforehand) stay. PostgreSQL refuses it
 * for the database one is connected to, so it is run from a connection to the maintenance database.
 * Chosen over revoking CONNECT (superusers and owners bypass it, and every grant would have to be
 * remembered and restored) and over NOLOGIN on roles (cluster-wide, and the list of application
 * roles would have to be complete).
 */
public final class NativeGate implements ConnectionGate {
    private final EnvironmentSettings env;
    private final String applicationName;
    private Connection maintenance;

    public NativeGate(EnvironmentSettings env, String applicationName) {
        this.env = env;
        this.applicationName = applicationName;
    }

    @Override
    public String name() {
        return "native";
    }

    @Override
    public String close() throws SQLException, PatchEngineException {
        set(false);
        return "ALLOW_CONNECTIONS false on " + env.databaseName();
    }

    @Override
    public void open() throws SQLException, PatchEngineException {
        set(true);
    }

    /**
     * PostgreSQL lets a session allow connections to its own database inside a transaction: the
     * patcher's COMMIT then ends the outage, one round trip sooner, and a rollback leaves the gate
     * closed for {@link #open()}.
     */
    @Override
    public String openingStatement() {
        return allowConnections(true);
    }

    @Override
    public boolean committed() {
        return true;
    }

    /**
     * Opens the maintenance connection now, so closing and opening the gate cost one statement each.
     */
    @Override
    public void prepare() throws SQLException, PatchEngineException {
        maintenance = Environments.connectMaintenance(env, applicationName);
    }

    @Override
    public void release() {
        if (maintenance != null) {
            try {
                maintenance.close();
            } catch (SQLException ignored) {
                // going away anyway
            }
            maintenance = null;
        }
    }

    private void set(boolean allow) throws SQLException, PatchEngineException {
        String sql = allowConnections(allow);
        if (maintenance != null) {
            try (Statement st = maintenance.createStatement()) {
                st.execute(sql);
                return;
            } catch (SQLException e) {
                if (!Databases.isConnectionLoss(e)) {
                    throw e;
                }
                release(); // the prepared connection is gone: a fresh one below
            }
        }
        try (Connection c = Environments.connectMaintenance(env, applicationName);
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private String allowConnections(boolean allow) {
        return "ALTER DATABASE " + quoteIdent(env.databaseName()) + " ALLOW_CONNECTIONS " + allow;
    }

    /** Whether the database accepts connections now (read from pg_database). */
    public boolean isOpen() throws SQLException, PatchEngineException {
        try (Connection c = Environments.connectMaintenance(env, applicationName);
                var ps = c.prepareStatement("SELECT datallowconn FROM pg_database WHERE datname = ?")) {
            ps.setString(1, env.databaseName());
            try (var rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** A SQL identifier, always quoted, with embedded quotes doubled. */
    public static String quoteIdent(String name) {
        return org.fastdowntime.patch.SqlText.ident(name);
    }
}
