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
}
