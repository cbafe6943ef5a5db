package org.fastdowntime.gate;

import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.function.Consumer;
import org.fastdowntime.model.EventCode;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.OutagePhase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outage's moves on its gate: prepared before the window (a gate it cannot reach fails the window with
 * nothing closed), closed ("Outage starts."; a gate that half-closed is opened again), and opened, retried,
 * because the outage is ongoing until it is.
 */
final class GateMoves {
    private static final Logger log = LoggerFactory.getLogger(Outage.class);

    private final PhaseStopwatch clock;
    private final OutageAccount account;

    GateMoves(PhaseStopwatch clock, OutageAccount account) {
        this.clock = clock;
        this.account = account;
    }

    /** When the gate closed, and what closing it did. */
    record Closed(long nanos, Instant at, String what) {}

    void prepare(ConnectionGate gate, Consumer<String> progress) {
        progress.accept("preparing the gate");
        try {
            gate.prepare();
        } catch (Exception e) {
            gate.release();
            throw ApplicationFailure.newNonRetryableFailure(
                    "could not reach the gate (" + gate.name() + "): " + e.getMessage()
                            + "; it was never closed and nothing was changed",
                    FailureType.GATE_FAILED.name());
        }
        clock.end(OutagePhase.PREPARE_GATE);
    }

    Closed close(ConnectionGate gate, Consumer<String> progress) {
        FailPoints.reach(FailPoints.BEFORE_GATE);
        progress.accept("closing the gate");
        long nanos = System.nanoTime();
        Instant at = Instant.now();
        String closed;
        try {
            closed = gate.close();
        } catch (Exception e) {
            try {
                open(gate); // whatever part of it did close
            } finally {
                gate.release();
            }
            throw ApplicationFailure.newNonRetryableFailure(
                    "could not close the gate (" + e.getMessage() + "); it is open again and nothing was changed",
                    FailureType.GATE_FAILED.name());
        }
        clock.end(OutagePhase.CLOSE_GATE);
        account.step(EventCode.GATE_CLOSED, "Outage starts. Gate (" + gate.name() + ") closed: " + closed + ".");
        FailPoints.reach(FailPoints.GATE_CLOSED);
        log.info("Outage starts.");
        return new Closed(nanos, at, closed);
    }

    /** Opens the gate, trying five times 0.2 s × attempt apart: an outage is ongoing until it is open. */
    static void open(ConnectionGate gate) {
        Exception last = null;
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                gate.open();
                return;
            } catch (Exception e) {
                last = e;
                log.error("Outage ongoing: could not reopen the gate (attempt {}): {}", attempt, e.getMessage());
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw ApplicationFailure.newFailure(
                "Outage ongoing until the gate reopens: " + last, FailureType.GATE_FAILED.name());
    }
}
