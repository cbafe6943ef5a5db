package org.fastdowntime.model;

import java.time.Instant;
import java.util.List;

/**
 * A fleet window as the {@code status} query answers: where it is, its QA, its decision (atomic), and a row per
 * member.
 *
 * @param approved the patches the fleet's QA approved (in the ledger of {@code environment}), once known
 * @param waiting the candidates still waiting for an approval
 * @param decision atomic: {@code COMMIT} or {@code ROLLBACK} once recorded, with why; null before
 * @param longestOutageMillis the longest member's gate-closed time so far: the fleet's outage
 */
public record FleetStatus(
        String fleet,
        String environment,
        FleetMode mode,
        FleetStage stage,
        Instant windowStart,
        Instant qaDeadline,
        List<PatchId> approved,
        List<PatchId> waiting,
        String decision,
        List<MemberOutcome> members,
        long longestOutageMillis,
        List<TimelineEvent> timeline,
        String failureType,
        String message) {}
