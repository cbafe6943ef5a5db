package org.fastdowntime.patch;

import java.util.ArrayList;
import java.util.List;
import org.fastdowntime.patch.SqlToken.Type;

/**
 * Splits PostgreSQL SQL text into tokens the way the server's scanner does for the cases patches
 * contain: {@code --} and nested {@code /* *}{@code /} comments, {@code '…'} strings with doubled
 * quotes, {@code E'…'} strings with backslash escapes, {@code "…"} identifiers, and {@code
 * $tag$…$tag$} dollar quoting.
 */
public final class SqlLexer {
    private final String src;
    private int pos;
    private int line = 1;

    private SqlLexer(String src) {
        this.src = src;
    }

    public static List<SqlToken> tokenize(String src) throws SqlSyntaxException {
        return new SqlLexer(src).run();
    }

    private List<SqlToken> run() throws SqlSyntaxException {
        List<SqlToken> out = new ArrayList<>();
        while (true) {
            skipWhitespace();
            if (pos >= src.length()) {
                return out;
            }
            int start = pos;
            int startLine = line;
            char c = src.charAt(pos);
            char next = pos + 1 < src.length() ? src.charAt(pos + 1) : '\0';
            Type type;
            if (c == '-' && next == '-') {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
                type = Type.LINE_COMMENT;
            } else if (c == '/' && next == '*') {
                blockComment(startLine);
                type = Type.BLOCK_COMMENT;
            } else if (c == '\'') {
                quoted('\'', false, startLine, "string literal");
                type = Type.STRING;
            } else if ((c == 'E' || c == 'e') && next == '\'') {
                pos++;
                quoted('\'', true, startLine, "escape string literal");
                type = Type.STRING;
            } else if (c == '"') {
                quoted('"', false, startLine, "quoted identifier");
                type = Type.QUOTED_IDENT;
            } else if (c == '$' && Character.isDigit(next)) {
                pos++;
                while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                    pos++;
                }
                type = Type.PARAMETER;
            } else if (c == '$' && dollarTagEnd(pos) > 0) {
                dollarBody(startLine);
                type = Type.DOLLAR_STRING;
            } else if (isIdentStart(c)) {
                pos++;
                while (pos < src.length() && isIdentPart(src.charAt(pos))) {
                    pos++;
                }
                type = Type.WORD;
            } else if (Character.isDigit(c) || (c == '.' && Character.isDigit(next))) {
                number();
                type = Type.NUMBER;
            } else if (c == ';') {
                pos++;
                type = Type.SEMICOLON;
            } else {
                pos++;
                type = Type.PUNCT;
            }
            out.add(new SqlToken(type, src.substring(start, pos), startLine, start, pos));
        }
    }

    private void skipWhitespace() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
            advance();
        }
    }

    private void advance() {
        if (src.charAt(pos) == '\n') {
            line++;
        }
        pos++;
    }

    private void blockComment(int startLine) throws SqlSyntaxException {
        int depth = 0;
        while (pos < src.length()) {
            if (src.startsWith("/*", pos)) {
                depth++;
                pos += 2;
            } else if (src.startsWith("*/", pos)) {
                depth--;
                pos += 2;
                if (depth == 0) {
                    return;
                }
            } else {
                advance();
            }
        }
        throw new SqlSyntaxException(startLine, "unterminated /* comment");
    }

    private void quoted(char quote, boolean backslashEscapes, int startLine, String what) throws SqlSyntaxException {
        pos++; // opening quote
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (backslashEscapes && c == '\\' && pos + 1 < src.length()) {
                advance();
                advance();
            } else if (c == quote) {
                if (pos + 1 < src.length() && src.charAt(pos + 1) == quote) {
                    pos += 2;
                } else {
                    pos++;
                    return;
                }
            } else {
                advance();
            }
        }
        throw new SqlSyntaxException(startLine, "unterminated " + what);
    }

    /**
     * Position just past the closing {@code $} of a dollar-quote tag starting at {@code at}, or -1.
     */
    private int dollarTagEnd(int at) {
        int i = at + 1;
        if (i < src.length() && src.charAt(i) == '$') {
            return i + 1;
        }
        if (i >= src.length() || !isIdentStart(src.charAt(i))) {
            return -1;
        }
        while (i < src.length() && isIdentPart(src.charAt(i)) && src.charAt(i) != '$') {
            i++;
        }
        return i < src.length() && src.charAt(i) == '$' ? i + 1 : -1;
    }

    private void dollarBody(int startLine) throws SqlSyntaxException {
        int tagEnd = dollarTagEnd(pos);
        String tag = src.substring(pos, tagEnd);
        pos = tagEnd;
        int close = src.indexOf(tag, pos);
        if (close < 0) {
            throw new SqlSyntaxException(startLine, "unterminated dollar-quoted body " + tag);
        }
        while (pos < close + tag.length()) {
            advance();
        }
    }

    private void number() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (Character.isDigit(c) || c == '.' || c == '_') {
                pos++;
            } else if ((c == 'e' || c == 'E')
                    && pos + 1 < src.length()
                    && (Character.isDigit(src.charAt(pos + 1))
                            || src.charAt(pos + 1) == '-'
                            || src.charAt(pos + 1) == '+')) {
                pos += 2;
            } else {
                return;
            }
        }
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_' || c > 127;
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || Character.isDigit(c) || c == '$';
    }
}
