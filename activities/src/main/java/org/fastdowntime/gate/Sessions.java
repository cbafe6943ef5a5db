package org.fastdowntime.gate;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.fastdowntime.patch.PatchFolder;

/**
 * Queries over the target database's client sessions (pg_stat_activity), seen from the patcher's
 * connection.
 */
public final class Sessions {
    private Sessions() {}

    record Session(int pid, String user, String application, String state, Double transactionSeconds) {
        String describe() {
            return user
                    + " (pid "
                    + pid
                    + (application == null || application.isEmpty() ? "" : ", " + application)
                    + (transactionSeconds == null
                            ? ", idle"
                            : String.format(", in a transaction for %.0f s", transactionSeconds))
                    + ")";
        }
    }

    private static final String CLIENTS =
            "SELECT pid, usename, application_name, state, extract(epoch FROM now() - xact_start)::float8 AS age"
                    + " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    + " AND backend_type = 'client backend'";

    static List<Session> clients(Connection c) throws SQLException {
        return query(c, CLIENTS, null);
    }

    /** Sessions of the given users. */
    static List<Session> of(Connection c, Collection<String> users) throws SQLException {
        if (users.isEmpty()) {
            return List.of();
        }
        return query(c, CLIENTS + " AND usename = ANY (?)", users);
    }

    /** Sessions of everyone but the given (system) users: those the kick terminates. */
    static List<Session> except(Connection c, Collection<String> users) throws SQLException {
        return query(c, CLIENTS + " AND NOT (usename = ANY (?))", users);
    }

    /**
     * Terminates every session but the system users' and the patcher's own; returns how many were
     * signalled.
     */
    static int terminateAllExcept(Connection c, Collection<String> systemUsers) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE"
                        + " datname = current_database() AND pid <> pg_backend_pid() AND backend_type ="
                        + " 'client backend' AND NOT (usename = ANY (?))")) {
            ps.setArray(1, textArray(c, systemUsers));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * Terminates every session of the server (any database) whose application_name is {@code application}
     * but the caller's own: the stragglers of one deployment; returns how many were signalled.
     */
    static int terminateApplication(Connection c, String application) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                        + " WHERE application_name = ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, application);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static List<Session> query(Connection c, String sql, Collection<String> users) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (users != null) {
                ps.setArray(1, textArray(c, users));
            }
            List<Session> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double age = rs.getDouble(5);
                    out.add(new Session(
                            rs.getInt(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.wasNull() ? null : age));
                }
            }
            return out;
        }
    }

    static Array textArray(Connection c, Collection<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray());
    }

    /**
     * The application_name of every session working for one deployment, so compensation can find
     * stragglers.
     */
    public static String applicationName(String deploymentId) {
        String name = "fastdowntime:" + deploymentId;
        if (name.getBytes(StandardCharsets.UTF_8).length <= 63) {
            return name;
        }
        return "fastdowntime:"
                + PatchFolder.sha256(deploymentId.getBytes(StandardCharsets.UTF_8))
                        .substring(0, 32);
    }
}
