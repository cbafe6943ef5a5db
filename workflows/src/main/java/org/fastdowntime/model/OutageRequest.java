package org.fastdowntime.model;

import java.util.List;

/** The patches an outage applies, each pinned to the checksum it was approved with. */
public record OutageRequest(String environment, String deploymentId, List<PatchCandidate> patches) {}
