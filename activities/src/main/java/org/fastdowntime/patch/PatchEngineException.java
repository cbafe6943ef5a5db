package org.fastdowntime.patch;

import org.fastdowntime.model.ProblemType;

/** A failure of the engine that retrying the same call cannot fix by itself; keeps the SQLSTATE when there is one. */
public final class PatchEngineException extends Exception {
  private final ProblemType type;
  private final String sqlState;

  public PatchEngineException(ProblemType type, String message, String sqlState, Throwable cause) {
    super(message, cause);
    this.type = type;
    this.sqlState = sqlState;
  }

  public PatchEngineException(ProblemType type, String message) {
    this(type, message, null, null);
  }

  public ProblemType type() {
    return type;
  }

  public String sqlState() {
    return sqlState;
  }
}
