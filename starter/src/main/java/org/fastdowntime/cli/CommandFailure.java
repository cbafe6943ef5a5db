package org.fastdowntime.cli;

import org.fastdowntime.model.ProblemType;

/** A command's clean failure: a message for stderr and the problem's exit code. */
final class CommandFailure extends RuntimeException {
  private final int exitCode;

  CommandFailure(ProblemType type, String message) {
    super(message);
    this.exitCode = type.exitCode();
  }

  CommandFailure(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
