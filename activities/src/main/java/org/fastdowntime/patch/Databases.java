package org.fastdowntime.patch;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.fastdowntime.model.ProblemType;

/** Opening connections, and telling "the database is not there" from other SQL errors. */
public final class Databases {
    private Databases() {}

    /**
     * Connects with the URL's own parameters; {@code password} (from the worker's secret store, or
     * PGPASSWORD for commands) is added when given, so it never needs to appear in a URL that gets
     * logged.
     */
    public static Connection connect(String jdbcUrl, String user, String password, String applicationName)
            throws PatchEngineException {
        return connect(jdbcUrl, user, password, applicationName, null);
    }

    /**
     * The same, with TCP keepalives on, and, when {@code socketTimeout} is given, no read that waits longer for the
     * server (for short statements only: a network that drops every packet then fails the call instead of hanging
     * it forever).
     */
    public static Connection connect(
            String jdbcUrl, String user, String password, String applicationName, java.time.Duration socketTimeout)
            throws PatchEngineException {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new PatchEngineException(
                    ProblemType.BAD_ARGUMENTS,
                    "database URL must start with jdbc:postgresql: (got '" + redact(jdbcUrl) + "')");
        }
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("ApplicationName", applicationName);
        props.setProperty("connectTimeout", "10");
        props.setProperty("tcpKeepAlive", "true");
        if (socketTimeout != null) {
            props.setProperty("socketTimeout", String.valueOf(Math.max(1, socketTimeout.toSeconds())));
        }
        try {
            return DriverManager.getConnection(jdbcUrl, props);
        } catch (SQLException e) {
            throw new PatchEngineException(
                    ProblemType.DATABASE_UNREACHABLE,
                    "cannot connect to " + redact(jdbcUrl) + ": " + e.getMessage(),
                    e.getSQLState(),
                    e);
        }
    }

    public static Connection connect(String jdbcUrl, String applicationName) throws PatchEngineException {
        return connect(jdbcUrl, null, System.getenv("PGPASSWORD"), applicationName);
    }

    /** True for errors that mean the server is gone or refuses us (class 08, 57P0x, 3D000, 28xxx). */
    public static boolean isConnectionLoss(SQLException e) {
        return SqlState.isConnectionLoss(e.getSQLState());
    }

    /** A URL without any password parameter, for messages and logs. */
    public static String redact(String jdbcUrl) {
        if (jdbcUrl == null) {
            return "null";
        }
        return jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    public static int serverVersionNum(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW server_version_num")) {
            rs.next();
            return Integer.parseInt(rs.getString(1));
        }
    }

    public static String databaseName(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
