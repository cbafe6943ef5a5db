package org.fastdowntime.downtime;

import io.temporal.workflow.Workflow;
import org.fastdowntime.ports.DatabaseActivities;
import org.slf4j.Logger;

/**
 * One window per environment at a time, as a window holds it: claimed (the {@code ClaimEnvironment} activity
 * fails WINDOW_BUSY, naming the running window that holds it) and given back, whatever the ending, in a detached
 * scope. Fast windows hold it for their whole life, monthly ones from services paused to the end of the outage.
 */
public final class EnvironmentClaim {
    private static final Logger log = Workflow.getLogger(EnvironmentClaim.class);

    private final DatabaseActivities db;
    private final String environment;
    private final String workflowId;
    private boolean held;

    public EnvironmentClaim(DatabaseActivities db, String environment, String workflowId) {
        this.db = db;
        this.environment = environment;
        this.workflowId = workflowId;
    }

    /**
     * Claims the environment when the workflow's change {@code change} says windows do; returns whether it
     * holds it now. A refusal is an {@link io.temporal.failure.ApplicationFailure} of type WINDOW_BUSY.
     */
    public boolean claim(Change change) {
        if (!change.isOn()) {
            return false;
        }
        try {
            db.claimEnvironment(environment, workflowId);
        } catch (RuntimeException e) {
            WindowFailures.Reason r = WindowFailures.of(e);
            throw WindowFailures.fail(r.type(), r.message());
        }
        held = true;
        return true;
    }

    /** Gives the environment back if held; a failure is only logged (the next claim asks whether this one runs). */
    public void release() {
        if (!held) {
            return;
        }
        held = false;
        Workflow.newDetachedCancellationScope(() -> {
                    try {
                        db.releaseEnvironment(environment, workflowId);
                    } catch (RuntimeException e) {
                        log.warn(
                                "Could not give {} back (the next window takes it over): {}",
                                environment,
                                WindowFailures.of(e).message());
                    }
                })
                .run();
    }
}
