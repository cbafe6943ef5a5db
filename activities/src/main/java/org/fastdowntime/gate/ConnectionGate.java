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
     * Opens the gate inside the patcher's transaction, so that it opens with the COMMIT that ends the
     * outage (and stays closed if the transaction rolls back); false when this gate cannot, and {@link
     * #open()} is called after the transaction instead.
     */
    default boolean openWithCommit(java.sql.Connection patcher) throws java.sql.SQLException {
        return false;
    }

    /**
     * The patcher's transaction committed, with what {@link #openWithCommit} added to it; not called
     * when it rolled back.
     */
    default void committed() {}

    /** Lets go of what {@link #prepare()} opened. */
    default void release() {}
}
