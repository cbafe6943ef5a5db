package org.fastdowntime.patch;

/** An unterminated string, quoted identifier, comment or dollar-quoted body. */
public final class SqlSyntaxException extends Exception {
    private final int line;

    public SqlSyntaxException(int line, String message) {
        super(message);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
