package org.fastdowntime.gate;

import java.time.Instant;
import java.util.List;
import org.fastdowntime.patch.Alongside;

/**
 * What an outage sends in the patches' round trip: the first kick before them (on the first attempt; a retry after
 * a lock timeout follows {@link Kick#untilGone}), and the gate's opening after them, unless the transaction is to
 * be prepared (the gate then stays closed for the fleet's decision). Notes when the COMMIT opened the whole gate.
 */
final class SentWithPatches implements Alongside {
    private final Kick kick;
    private final ConnectionGate gate;
    private final boolean kickFirst;
    private final String opening;
    private long openedNanos;
    private Instant openedAt;

    SentWithPatches(Kick kick, ConnectionGate gate, boolean prepares, boolean kickFirst) {
        this.kick = kick;
        this.gate = gate;
        this.kickFirst = kickFirst;
        this.opening = prepares ? null : gate.openingStatement();
    }

    @Override
    public List<String> before() {
        if (!kickFirst) {
            return List.of();
        }
        FailPoints.reach(FailPoints.KICK); // the worker is about to send the kick (with the patches)
        return List.of(kick.statement());
    }

    @Override
    public List<String> after() {
        return opening == null ? List.of() : List.of(opening);
    }

    @Override
    public void heard(List<String> notices) {
        kick.heard(notices);
    }

    @Override
    public void committed() {
        if (opening != null && gate.committed()) {
            openedNanos = System.nanoTime();
            openedAt = Instant.now();
        }
    }

    /** When the COMMIT opened the whole gate; null when it did not (the gate opens after it). */
    Instant openedAt() {
        return openedAt;
    }

    /** The same moment on this process's monotonic clock. */
    long openedNanos() {
        return openedNanos;
    }
}
