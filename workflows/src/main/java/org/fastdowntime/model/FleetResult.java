package org.fastdowntime.model;

import java.util.List;

/**
 * How a fleet window ended, when it did not fail as a whole: DONE, PARTIAL (some members committed, the others are
 * named with why) or SKIPPED.
 */
public record FleetResult(
        String fleet, FleetStage stage, String message, List<MemberOutcome> members, long longestOutageMillis) {}
