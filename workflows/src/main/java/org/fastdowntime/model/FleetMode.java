package org.fastdowntime.model;

/** How a fleet window changes its members. */
public enum FleetMode {
    /**
     * The canary members first, alone, then waves of {@code parallelism}: each member commits on its own, all or
     * nothing; the fleet ends DONE, PARTIAL (naming who) or FAILED.
     */
    WAVES,
    /**
     * Every member prepares its bundle ({@code PREPARE TRANSACTION}) with its gate closed; only when all have
     * prepared within the outage budget is COMMIT decided, and then committed everywhere; otherwise every member
     * rolls back. All members or none.
     */
    ATOMIC;

    /** {@code waves} or {@code atomic}, any case; null for anything else. */
    public static FleetMode parse(String text) {
        return Lenient.oneOf(FleetMode.class, text);
    }
}
