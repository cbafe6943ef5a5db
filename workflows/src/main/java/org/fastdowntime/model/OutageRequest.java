package org.fastdowntime.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The patches an outage applies, each pinned to the checksum it was approved with, and the window's sealed
 * bundle (null only in requests recorded before bundles were sealed): the outage runs exactly the bundle.
 *
 * @param notBefore when set, the activity prepares everything, then closes the gate at this instant
 * @param timeLimit when set, the outage's own clock instead of the environment's budgets: each patch
 *     statement may run this long, and the activity this long plus its margin (the monthly window sets
 *     it from its plan); null for the environment's statement timeout and outage budget
 */
public record OutageRequest(
        String environment,
        String deploymentId,
        List<PatchCandidate> patches,
        Instant notBefore,
        Duration timeLimit,
        SealedBundle bundle,
        Boolean prepare) {

    public OutageRequest(
            String environment,
            String deploymentId,
            List<PatchCandidate> patches,
            Instant notBefore,
            Duration timeLimit,
            SealedBundle bundle) {
        this(environment, deploymentId, patches, notBefore, timeLimit, bundle, null);
    }

    public OutageRequest(String environment, String deploymentId, List<PatchCandidate> patches) {
        this(environment, deploymentId, patches, null, null, null);
    }

    public OutageRequest(String environment, String deploymentId, List<PatchCandidate> patches, Instant notBefore) {
        this(environment, deploymentId, patches, notBefore, null, null);
    }

    public OutageRequest(
            String environment,
            String deploymentId,
            List<PatchCandidate> patches,
            Instant notBefore,
            Duration timeLimit) {
        this(environment, deploymentId, patches, notBefore, timeLimit, null);
    }

    /** The same request, armed to close the gate at {@code at}. */
    public OutageRequest armedAt(Instant at) {
        return new OutageRequest(environment, deploymentId, patches, at, timeLimit, bundle, prepare);
    }

    /** The same request, running exactly {@code sealed}. */
    public OutageRequest sealed(SealedBundle sealed) {
        return new OutageRequest(environment, deploymentId, patches, notBefore, timeLimit, sealed, prepare);
    }

    /** Whether the outage prepares its transaction for a fleet's decision instead of committing it. */
    public boolean prepares() {
        return Boolean.TRUE.equals(prepare);
    }
}
