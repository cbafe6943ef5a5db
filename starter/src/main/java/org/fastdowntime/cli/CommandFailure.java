package org.fastdowntime.cli;

import org.fastdowntime.model.ProblemType;

/** A command's clean failure: a message for stderr and the problem's exit code. */
public final class CommandFailure extends RuntimeException {
    private final int exitCode;

    public CommandFailure(ProblemType type, String message) {
        super(message);
        this.exitCode = type.exitCode();
    }

    public CommandFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
