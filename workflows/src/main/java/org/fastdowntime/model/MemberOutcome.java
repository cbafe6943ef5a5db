package org.fastdowntime.model;

import java.time.Instant;
import java.util.List;

/**
 * How one member of a fleet window ended: its state, its outage (gate closed to gate open, on its own clock), what
 * it applied, and its failure when it failed.
 *
 * @param outageMillis gate closed to gate open; in atomic mode, to the gate opening after the decision
 * @param prepareMillis atomic: gate closed to the transaction prepared (0 otherwise)
 * @param gateClosedAt when its gate closed, on its worker's clock (null when it never closed)
 */
public record MemberOutcome(
        String member,
        MemberState state,
        long outageMillis,
        long prepareMillis,
        Instant gateClosedAt,
        List<PatchId> applied,
        String failureType,
        String message) {
    public MemberOutcome {
        applied = applied == null ? List.of() : List.copyOf(applied);
    }

    public static MemberOutcome of(String member, MemberState state) {
        return new MemberOutcome(member, state, 0, 0, null, List.of(), null, null);
    }

    public MemberOutcome failed(String type, String why) {
        return new MemberOutcome(
                member, MemberState.FAILED, outageMillis, prepareMillis, gateClosedAt, applied, type, why);
    }

    public MemberOutcome as(MemberState s) {
        return new MemberOutcome(member, s, outageMillis, prepareMillis, gateClosedAt, applied, failureType, message);
    }

    /** The same, its gate open again at {@code openedAt} (the outage measured from its closing). */
    public MemberOutcome openedAt(MemberState s, Instant openedAt) {
        long millis = gateClosedAt == null || openedAt == null
                ? outageMillis
                : java.time.Duration.between(gateClosedAt, openedAt).toMillis();
        return new MemberOutcome(member, s, millis, prepareMillis, gateClosedAt, applied, failureType, message);
    }

    /** A member's state in its fleet window. */
    public enum MemberState {
        WAITING,
        PREFLIGHT_OK,
        /** Its outage runs (or, atomic, it is preparing). */
        RUNNING,
        /** Atomic: its bundle is prepared, its gate closed, waiting for the decision. */
        PREPARED,
        /** Applied and committed. */
        COMMITTED,
        /** Nothing of the bundle was pending on it. */
        NOTHING_TO_APPLY,
        /** Atomic: prepared, then rolled back by the decision; unchanged. */
        ROLLED_BACK,
        /** Its outage failed and rolled back; unchanged. */
        FAILED,
        /** A failure elsewhere (or an abort) stopped the fleet before its turn; unchanged. */
        NOT_STARTED
    }
}
