package org.fastdowntime.model;

import java.util.List;

/** What the {@code approve} update answers: the window's verdict on each patch it named, in order. */
public record ApprovalAnswer(List<SignalRecord> verdicts) {
    public ApprovalAnswer {
        verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
    }
}
