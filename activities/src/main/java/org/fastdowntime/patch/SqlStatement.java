package org.fastdowntime.patch;

import java.util.List;

/**
 * One statement of a script: its tokens without comments, the comments that precede or sit inside
 * it, its first line and its exact source text (without the terminating semicolon).
 */
public record SqlStatement(List<SqlToken> tokens, List<SqlToken> comments, int line, String sql) {

    public SqlToken token(int i) {
        return i < tokens.size() ? tokens.get(i) : null;
    }

    /** True when the statement's leading words are {@code words} (case-insensitive). */
    public boolean startsWith(String... words) {
        return matchesAt(0, words);
    }

    public boolean matchesAt(int index, String... words) {
        for (int k = 0; k < words.length; k++) {
            SqlToken t = token(index + k);
            if (t == null || !t.isWord(words[k])) {
                return false;
            }
        }
        return true;
    }

    /** Index of the first word token equal to {@code word} at or after {@code from}, or -1. */
    public int indexOfWord(String word, int from) {
        for (int i = Math.max(0, from); i < tokens.size(); i++) {
            if (tokens.get(i).isWord(word)) {
                return i;
            }
        }
        return -1;
    }

    public boolean containsWord(String word) {
        return indexOfWord(word, 0) >= 0;
    }

    /** True when {@code words} appear consecutively anywhere in the statement. */
    public boolean containsSequence(String... words) {
        for (int i = 0; i < tokens.size(); i++) {
            if (matchesAt(i, words)) {
                return true;
            }
        }
        return false;
    }
}
