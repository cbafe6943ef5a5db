package org.fastdowntime.cli;

import org.fastdowntime.patch.PatchEngineException;
import picocli.CommandLine;

/**
 * Turns a command's exceptions into one line on stderr and a meaningful exit code, never a stack
 * trace.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        java.io.PrintWriter err = cl.getErr();
        if (e instanceof CommandFailure f) {
            err.println("fastdowntime: " + f.getMessage());
            err.flush();
            return f.exitCode();
        }
        if (e instanceof PatchEngineException p) {
            err.println("fastdowntime: "
                    + p.type().title()
                    + ": "
                    + p.getMessage()
                    + (p.sqlState() != null ? " [SQLSTATE " + p.sqlState() + "]" : ""));
            err.flush();
            return p.type().exitCode();
        }
        if (e instanceof java.sql.SQLException s) {
            err.println("fastdowntime: database error: " + s.getMessage() + " [SQLSTATE " + s.getSQLState() + "]");
            err.flush();
            return 1;
        }
        err.println("fastdowntime: " + e);
        e.printStackTrace(err);
        err.flush();
        return 1;
    }
}
