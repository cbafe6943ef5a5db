package org.fastdowntime.window;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One window per environment at a time: a row per environment in the target database names the window that
 * holds it. A window claims its environment when it starts and gives it back when it ends; a claim held by a
 * window that is no longer running (it ended without giving it back: its worker died at the very end) is taken
 * over, asked of Temporal. The row lives with the environment's other bookkeeping, so it needs no other store.
 */
public final class WindowClaims {
    static final String TABLE = "fastdowntime.window_claims";

    private WindowClaims() {}

    /**
     * Claims {@code environment} for {@code workflowId}. Returns empty when it holds the claim now (or already
     * did), else the id of the running window that holds it.
     *
     * @param running whether a window is still running, by its workflow id
     */
    public static Optional<String> claim(Connection c, String environment, String workflowId, Predicate<String> running)
            throws SQLException {
        ensureTable(c);
        for (int attempt = 0; attempt < 5; attempt++) {
            String holder;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE
                    + " (environment, workflow_id) VALUES (?, ?) ON CONFLICT (environment) DO UPDATE SET"
                    + " environment = EXCLUDED.environment RETURNING workflow_id")) {
                ps.setString(1, environment);
                ps.setString(2, workflowId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    holder = rs.getString(1);
                }
            }
            if (holder.equals(workflowId)) {
                return Optional.empty();
            }
            if (running.test(holder)) {
                return Optional.of(holder);
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE
                    + " SET workflow_id = ?, claimed_at = now() WHERE environment = ? AND workflow_id = ?")) {
                ps.setString(1, workflowId);
                ps.setString(2, environment);
                ps.setString(3, holder);
                if (ps.executeUpdate() == 1) {
                    return Optional.empty();
                }
            }
        }
        throw new SQLException("the claim on " + environment + " kept changing hands; try again");
    }

    /** Gives the claim back, if {@code workflowId} holds it; idempotent. */
    public static void release(Connection c, String environment, String workflowId) throws SQLException {
        ensureTable(c);
        try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM " + TABLE + " WHERE environment = ? AND workflow_id = ?")) {
            ps.setString(1, environment);
            ps.setString(2, workflowId);
            ps.executeUpdate();
        }
    }

    private static void ensureTable(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS fastdowntime; CREATE TABLE IF NOT EXISTS " + TABLE
                    + " (environment text PRIMARY KEY, workflow_id text NOT NULL,"
                    + " claimed_at timestamptz NOT NULL DEFAULT now())");
        }
    }

    /** Whether the window {@code workflowId} is still running, asked of Temporal (one that is unknown is not). */
    public static boolean running(WorkflowClient client, String workflowId) {
        try {
            WorkflowExecutionStatus status = client.getWorkflowServiceStubs()
                    .blockingStub()
                    .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace(client.getOptions().getNamespace())
                            .setExecution(WorkflowExecution.newBuilder()
                                    .setWorkflowId(workflowId)
                                    .build())
                            .build())
                    .getWorkflowExecutionInfo()
                    .getStatus();
            return status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }
}
