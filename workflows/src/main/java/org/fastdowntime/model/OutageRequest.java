package org.fastdowntime.model;

import java.util.List;

/**
 * The patches an outage applies, each pinned to the checksum it was approved with.
 *
 * @param notBefore when set, the activity prepares everything, then closes the gate at this instant
 */
public record OutageRequest(
        String environment, String deploymentId, List<PatchCandidate> patches, java.time.Instant notBefore) {

    public OutageRequest(String environment, String deploymentId, List<PatchCandidate> patches) {
        this(environment, deploymentId, patches, null);
    }
}
