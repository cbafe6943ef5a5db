package org.fastdowntime.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Severity of a lint finding. An unsuppressed ERROR makes the patch set invalid. */
public enum Severity {
    ERROR,
    WARNING;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
