package org.fastdowntime.gate;

import io.temporal.failure.ApplicationFailure;
import org.fastdowntime.model.ApplyReport;
import org.fastdowntime.model.OutageReport;
import org.fastdowntime.model.OutageRequest;
import org.fastdowntime.patch.TwoPhase;

/**
 * An atomic fleet member's outage once its transaction is prepared: the gate is not reopened (the fleet's decision,
 * carried out by {@code FinishPrepared}, opens it), only let go of, and the report says it is prepared.
 */
final class Prepared {
    private Prepared() {}

    /** Lets go of the gate's connection, leaving the gate closed; nothing can fail here. */
    static ApplicationFailure holdGate(ConnectionGate gate) {
        gate.release();
        return null;
    }

    /**
     * The report of a prepared outage. It is not written to the windows' history table: its gate-open time is the
     * decision's, which this outage does not know.
     */
    static OutageReport report(
            OutageAccount account,
            ConnectionGate gate,
            GateMoves.Closed closed,
            ApplyReport inside,
            OutageRequest request) {
        return account.prepared(gate.name(), closed.nanos(), closed.at(), inside, TwoPhase.gid(request.deploymentId()));
    }
}
