package org.fastdowntime.model;

/** A candidate's QA state as the status query shows it. */
public record PatchQaStatus(
        PatchId id,
        String file,
        String sha256,
        Double stagingSeconds,
        boolean needsSignOff,
        QaState state,
        String qaBy,
        String signedOffBy,
        String note) {}
