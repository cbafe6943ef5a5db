package org.fastdowntime.patch;

/**
 * Values written into SQL text, for statements that cannot take parameters (a batch of plain statements, DDL,
 * PREPARE TRANSACTION's name): quoted so that the server reads exactly the value, whatever it contains.
 */
public final class SqlText {
    private SqlText() {}

    /**
     * A string literal. Quotes are doubled; a value with a backslash is written as an escape string ({@code
     * E'…'}, backslashes doubled), which every server and the driver read the same way whatever {@code
     * standard_conforming_strings} says.
     */
    public static String literal(String value) {
        String quoted = value.replace("'", "''");
        return value.indexOf('\\') < 0 ? "'" + quoted + "'" : "E'" + quoted.replace("\\", "\\\\") + "'";
    }

    /** A literal, or NULL. */
    public static String literalOrNull(String value) {
        return value == null ? "NULL" : literal(value);
    }

    /** An identifier, always double-quoted, embedded quotes doubled: the name exactly as given. */
    public static String ident(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
