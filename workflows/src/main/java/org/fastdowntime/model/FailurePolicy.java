package org.fastdowntime.model;

/** What a waves fleet does when a member fails. */
public enum FailurePolicy {
    /** The waves not yet started do not start (the default): a bad bundle stops at the canary. */
    STOP,
    /** The other members go on; the fleet ends PARTIAL with the list of those that failed. */
    CONTINUE;

    /** {@code stop} or {@code continue}, any case; null for anything else. */
    public static FailurePolicy parse(String text) {
        return Lenient.oneOf(FailurePolicy.class, text);
    }
}
