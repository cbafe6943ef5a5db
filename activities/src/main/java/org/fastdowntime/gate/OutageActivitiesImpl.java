package org.fastdowntime.gate;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.fastdowntime.activity.Heartbeats;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.env.Environments;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.OutageReport;
import org.fastdowntime.model.OutageRequest;
import org.fastdowntime.model.PreparedEnd;
import org.fastdowntime.patch.RevisionStore;
import org.fastdowntime.patch.TwoPhase;
import org.fastdowntime.ports.OutageActivities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public final class OutageActivitiesImpl implements OutageActivities {
    private static final Logger log = LoggerFactory.getLogger(OutageActivitiesImpl.class);

    private final Environments environments;
    private final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();

    public OutageActivitiesImpl(Environments environments) {
        this.environments = environments;
    }

    /**
     * For a graceful shutdown: waits (up to {@code limit}) until no outage runs on this worker, so
     * the outages under way finish while their heartbeats and results still reach Temporal. Returns
     * whether none is left.
     */
    public boolean awaitNoOutage(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (running.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /**
     * Runs the outage while a side thread heartbeats (the main thread is blocked in JDBC most of the
     * time). When the heartbeat learns of a cancellation, it flags the outage and cancels the running
     * statement, so the transaction rolls back and the gate reopens before this method returns.
     */
    @Override
    public OutageReport outage(OutageRequest request) {
        EnvironmentSettings env = environments.get(request.environment());
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        Outage outage = new Outage(env, request);
        AtomicReference<String> step = new AtomicReference<>("starting");
        AtomicReference<ActivityCompletionException> cancel = new AtomicReference<>();
        Duration period = Duration.ofMillis(
                Math.max(100, Math.min(1000, env.budgets().heartbeatTimeout().toMillis() / 4)));
        Heartbeats beat = Heartbeats.start(ctx, period, step::get, e -> {
            cancel.set(e);
            log.warn(
                    "Outage of {} cancelled ({}); rolling back",
                    request.environment(),
                    e.getClass().getSimpleName());
            outage.cancelRunningStatement();
        });
        running.incrementAndGet();
        try {
            return outage.run(() -> cancel.get() != null, step::set);
        } catch (Outage.CancelledOutage e) {
            throw cancel.get() != null
                    ? cancel.get()
                    : ApplicationFailure.newNonRetryableFailure(e.getMessage(), FailureType.ABORTED.name());
        } catch (ApplicationFailure e) {
            if (cancel.get() != null) {
                throw cancel.get();
            }
            throw e;
        } catch (Exception e) {
            throw Activity.wrap(e);
        } finally {
            running.decrementAndGet();
            beat.close();
        }
    }

    @Override
    public void reopenGate(String environment, String deploymentId) {
        EnvironmentSettings env = environments.get(environment);
        String app = Sessions.applicationName(deploymentId);
        ConnectionGate gate = Gates.of(env, app + ":reopen");
        try {
            try (Connection c = Environments.connectMaintenance(env, app + ":reopen")) {
                int ended = Sessions.terminateApplication(c, app);
                if (ended > 0) {
                    log.warn("Ended {} stalled patcher session(s) of {} before reopening", ended, deploymentId);
                }
            }
            gate.open();
            log.info("Gate of {} is open ({}).", environment, deploymentId);
            Replay.resumeAll(env); // a lost outage may have left the standbys' replay paused
            fence(env, deploymentId, app);
        } catch (Exception e) {
            log.error("Outage ongoing until the gate of {} reopens: {}", environment, e.getMessage());
            throw ApplicationFailure.newFailureWithCauseAndDelay(
                    "reopening the gate failed: " + e.getMessage(),
                    FailureType.GATE_FAILED.name(),
                    null,
                    Duration.ofMillis(500));
        }
    }

    @Override
    public PreparedEnd finishPrepared(String environment, String deploymentId, boolean commit) {
        EnvironmentSettings env = environments.get(environment);
        String app = Sessions.applicationName(deploymentId);
        String gid = TwoPhase.gid(deploymentId);
        try {
            try (Connection c = Environments.connectMaintenance(env, app + ":finish")) {
                // A stalled patcher of this deployment can no longer prepare once the decision is carried out.
                Sessions.terminateApplication(c, app);
            }
            FailPoints.reach(FailPoints.BEFORE_FINISH);
            // The gate opens first: the prepared transaction is reached only from its own database. A client that
            // comes in before COMMIT PREPARED waits on the transaction's locks for the tables it changed.
            Gates.of(env, app + ":finish").open();
            Instant opened = Instant.now();
            String action;
            try (Connection c = Environments.connect(env, app + ":finish")) {
                if (TwoPhase.isPrepared(c, gid)) {
                    TwoPhase.finish(c, gid, commit);
                    action = commit ? "committed" : "rolled back";
                } else if (!new RevisionStore(env.engineSettings().revisionTable())
                        .appliedBy(c, deploymentId)
                        .isEmpty()) {
                    action = "already committed";
                } else if (commit) {
                    throw ApplicationFailure.newNonRetryableFailure(
                            "the fleet decided COMMIT but " + gid + " is not prepared in " + env.databaseName()
                                    + " and its patches are not recorded: someone ended it by hand; the gate is open",
                            FailureType.PREPARED_LOST.name());
                } else {
                    action = "nothing prepared";
                }
            }
            log.info("{} of {}: {}; gate open.", gid, environment, action);
            fence(env, deploymentId, app);
            return new PreparedEnd(action, opened);
        } catch (ApplicationFailure e) {
            throw e;
        } catch (Exception e) {
            log.error("{} of {} not finished yet: {}", gid, environment, e.getMessage());
            throw ApplicationFailure.newFailureWithCauseAndDelay(
                    "finishing the prepared transaction failed: " + e.getMessage(),
                    FailureType.GATE_FAILED.name(),
                    null,
                    Duration.ofMillis(500));
        }
    }

    /** The outage is given up: a worker that comes back with it armed finds the fence and does not close the gate. */
    private static void fence(EnvironmentSettings env, String deploymentId, String app) {
        try (Connection c = Environments.connect(env, app + ":fence")) {
            Fence.giveUp(c, deploymentId);
        } catch (Exception e) {
            log.warn(
                    "Could not record {} as given up (a worker cut off with it may still try): {}",
                    deploymentId,
                    e.getMessage());
        }
    }
}
