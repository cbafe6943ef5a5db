package org.fastdowntime.patch;

import java.util.List;

/**
 * What a caller sends in the same round trip as a cold bundle, and what it is told back: the outage sends its kick
 * before the patches and its gate's opening after them (which takes effect with the COMMIT, or not at all).
 */
public interface Alongside {
    /** Nothing alongside. */
    Alongside NONE = new Alongside() {};

    /** Statements run first, in the applying transaction; one that fails stops everything after it. */
    default List<String> before() {
        return List.of();
    }

    /** Statements run once every patch and its bookkeeping went through. */
    default List<String> after() {
        return List.of();
    }

    /** The notices the server sent while the round trip ran (the statements before the patches say what they did). */
    default void heard(List<String> notices) {}

    /** The COMMIT returned. */
    default void committed() {}
}
