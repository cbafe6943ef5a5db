package org.fastdowntime.gate;

/**
 * Keeps new connections out of the target database during the outage, and lets them back in. Both
 * operations are idempotent: opening an open gate is a no-op, so compensation may run it any number
 * of times.
 */
public interface ConnectionGate {
    /** A short name for timelines ("native", "pgbouncer"). */
    String name();

    /** Opens whatever the gate needs (connections, sessions) before the outage clock starts. */
    default void prepare() throws Exception {}

    /** Closes the gate; returns what was done, for the timeline. */
    String close() throws Exception;

    void open() throws Exception;

    /**
     * A statement that opens this gate, or the part of it a transaction can open, inside the patcher's
     * transaction: sent with the patches, it takes effect with the COMMIT that ends the outage (and not at all if
     * the transaction rolls back); null when this gate has none.
     */
    default String openingStatement() {
        return null;
    }

    /**
     * The patcher's transaction committed with {@link #openingStatement()}: whether the gate is wholly open now
     * (else {@link #open()} follows). Not called when it rolled back or was not sent.
     */
    default boolean committed() {
        return false;
    }

    /** Lets go of what {@link #prepare()} opened. */
    default void release() {}
}
