package org.fastdowntime.model;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The words QA says to a window, by the signal names they travel as ({@link #wire()}): the same names in the
 * workflow interfaces, the timeline's signal log and the command line.
 */
public enum QaWord {
    /** The patch passed QA: it may go in this window. */
    QA_OK("qaOk"),
    /** The patch failed QA: left out, with the reason its author reads. */
    QA_BAD("qaBad"),
    /** A patch over the time budget may go anyway. */
    SIGN_OFF("signOff"),
    /** The whole window stops before its outage. */
    ABORT("abort");

    private final String wire;

    QaWord(String wire) {
        this.wire = wire;
    }

    /** The signal's name, as Temporal, the timeline and JSON carry it. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** Whether {@code signal}, as recorded on a timeline, is this word. */
    public boolean is(String signal) {
        return wire.equals(signal);
    }
}
