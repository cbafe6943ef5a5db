package org.fastdowntime.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a patch stands against one database. */
public enum PatchStatus {
    /**
     * Recorded in the revision table, and its file is unchanged (or its checksum was never recorded).
     */
    APPLIED("applied"),
    /** A file with no revision row: will be applied. */
    PENDING("pending"),
    /** Recorded, but the file's SHA-256 differs from the one recorded when it was applied. */
    DRIFTED("drifted"),
    /** Recorded in the database, but no file in the folder carries that id. */
    MISSING_FILE("missing-file");

    private final String label;

    PatchStatus(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }
}
