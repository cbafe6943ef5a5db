package org.fastdowntime.gate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The fence between a window's compensation and an outage activity it gave up: when the compensation reopens the
 * gate it records the deployment as given up in the target database, and an outage checks that record just before
 * it closes the gate. A zombie outage (its worker cut off, its window compensated and finished, then the worker
 * back) cannot close the gate again.
 */
public final class Fence {
    static final String TABLE = "fastdowntime.outages_given_up";

    private Fence() {}

    /** Records {@code deploymentId} as given up; idempotent. */
    public static void giveUp(Connection c, String deploymentId) throws SQLException {
        ensureTable(c);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO " + TABLE + " (deployment_id) VALUES (?) ON CONFLICT (deployment_id) DO NOTHING")) {
            ps.setString(1, deploymentId);
            ps.executeUpdate();
        }
    }

    /** Whether the window gave {@code deploymentId} up. */
    static boolean givenUp(Connection c, String deploymentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass('" + TABLE
                + "') IS NOT NULL AND EXISTS (SELECT 1 FROM " + TABLE + " WHERE deployment_id = ?)")) {
            ps.setString(1, deploymentId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            if (org.fastdowntime.patch.SqlState.is(e, org.fastdowntime.patch.SqlState.UNDEFINED_TABLE)) {
                return false; // no deployment was ever given up here
            }
            throw e;
        }
    }

    private static void ensureTable(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS fastdowntime; CREATE TABLE IF NOT EXISTS " + TABLE
                    + " (deployment_id text PRIMARY KEY, given_up_at timestamptz NOT NULL DEFAULT now())");
        }
    }
}
