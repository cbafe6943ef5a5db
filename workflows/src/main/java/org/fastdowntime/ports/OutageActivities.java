package org.fastdowntime.ports;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import org.fastdowntime.model.OutageReport;
import org.fastdowntime.model.OutageRequest;

/** The outage itself, and the compensation that ends every path out of it. */
@ActivityInterface
public interface OutageActivities {

    /**
     * Opens the patcher's connection, closes the gate, re-checks fragile users, kicks every other
     * session, applies the patches in one transaction and reopens the gate. Heartbeats throughout: a
     * dead worker is noticed within the heartbeat timeout, a cancelled one rolls back and reopens
     * before returning.
     */
    @ActivityMethod(name = "Outage")
    OutageReport outage(OutageRequest request);

    /**
     * Idempotent: ends any session still working for this deployment (so a stalled patcher can never
     * commit after the gate opened) and opens the gate. Retried until it works.
     */
    @ActivityMethod(name = "ReopenGate")
    void reopenGate(String environment, String deploymentId);

    /**
     * A fleet member's prepared transaction ({@code PREPARE TRANSACTION}, named after {@code deploymentId}) carried
     * out as the fleet decided: ends any session still working for the deployment (so none prepares later), opens
     * the gate, then {@code COMMIT PREPARED} or {@code ROLLBACK PREPARED} if it is there. Idempotent, retried until
     * it works: a retry finds the transaction gone and says whether its patches are recorded. A commit decided for a
     * transaction that is neither there nor committed fails PREPARED_LOST (someone ended it by hand).
     */
    @ActivityMethod(name = "FinishPrepared")
    org.fastdowntime.model.PreparedEnd finishPrepared(String environment, String deploymentId, boolean commit);
}
