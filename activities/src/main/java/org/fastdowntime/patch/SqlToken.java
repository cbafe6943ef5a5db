package org.fastdowntime.patch;

import java.util.Locale;

/**
 * A lexical token of a SQL script. Words keep their original text; {@link #upper()} gives the
 * case-folded form used to match keywords. Quoted identifiers, string literals and dollar-quoted
 * bodies are single tokens, so nothing inside them is ever taken for a keyword.
 */
public record SqlToken(Type type, String text, int line, int start, int end) {

    public enum Type {
        WORD,
        QUOTED_IDENT,
        STRING,
        DOLLAR_STRING,
        NUMBER,
        PARAMETER,
        PUNCT,
        SEMICOLON,
        LINE_COMMENT,
        BLOCK_COMMENT
    }

    public boolean isWord(String upperKeyword) {
        return type == Type.WORD && text.equalsIgnoreCase(upperKeyword);
    }

    public boolean isPunct(char c) {
        return type == Type.PUNCT && text.length() == 1 && text.charAt(0) == c;
    }

    public boolean isComment() {
        return type == Type.LINE_COMMENT || type == Type.BLOCK_COMMENT;
    }

    public String upper() {
        return text.toUpperCase(Locale.ROOT);
    }

    /**
     * The identifier this token names, as PostgreSQL resolves it: unquoted words fold to lower case,
     * quoted identifiers keep their case with doubled quotes undone.
     */
    public String identifier() {
        if (type == Type.QUOTED_IDENT) {
            return text.substring(1, text.length() - 1).replace("\"\"", "\"");
        }
        return text.toLowerCase(Locale.ROOT);
    }
}
