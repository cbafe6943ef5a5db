package org.fastdowntime.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Decoding of what people type into the Temporal UI or CLI that never fails: a value of the wrong
 * JSON type, or a text too long to keep in a workflow's history, becomes a marked value that the
 * workflow rejects with a clear reason it keeps in its status — instead of a payload the SDK cannot
 * decode, which would be dropped (a signal) or block the workflow (its input). Payload records read
 * their fields through {@link #fields} in a delegating creator, which names each field once: a marked
 * value already carries its field's name and problem, so a record's {@code invalid()} only lists its
 * values ({@link #first}).
 */
public final class Lenient {
    /** Longest text kept from a payload field. */
    public static final int MAX_TEXT = 4000;

    private static final String MARK = "\u0000";

    private Lenient() {}

    static String text(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (!n.isValueNode()) {
            return MARK + "must be text, not " + (n.isArray() ? "a list" : "an object");
        }
        String s = n.asText();
        return s.length() > MAX_TEXT ? MARK + "is " + s.length() + " characters long (at most " + MAX_TEXT + ")" : s;
    }

    /** The problem a marked value carries, or null when it is fine (absent counts as fine here). */
    public static String problem(String value) {
        return value == null || !value.startsWith(MARK) ? null : value.substring(MARK.length());
    }

    /** A value read from {@code field}: a problem found reading it is said with the field's name. */
    private static String named(String field, String value) {
        return value == null || !value.startsWith(MARK) ? value : MARK + "\"" + field + "\" " + value.substring(1);
    }

    /**
     * A payload's fields, read leniently. When the payload is not a JSON object at all, the first
     * field read carries the problem, so {@code invalid()} reports it.
     */
    public static final class Fields {
        private final JsonNode node;
        private boolean reported;

        private Fields(JsonNode node) {
            this.node = node;
        }

        /**
         * A list of texts: a single text counts as a list of one; an object becomes one marked value.
         */
        public List<String> list(String name) {
            JsonNode n = node != null && node.isObject() ? node.get(name) : null;
            if (n == null || n.isNull()) {
                return null;
            }
            List<String> out = new ArrayList<>();
            if (n.isArray()) {
                n.forEach(e -> out.add(named(name, Lenient.text(e))));
            } else if (n.isObject()) {
                out.add(named(name, MARK + "must be a list, not an object"));
            } else {
                out.add(named(name, Lenient.text(n)));
            }
            return out;
        }

        public String text(String name) {
            if (node != null && node.isObject()) {
                return named(name, Lenient.text(node.get(name)));
            }
            if (node == null || node.isNull() || reported) {
                return null;
            }
            reported = true;
            return MARK
                    + "the payload must be a JSON object, not "
                    + (node.isArray() ? "a list" : "\"" + abbreviate(node.asText()) + "\"");
        }

        private static String abbreviate(String s) {
            return s.length() <= 40 ? s : s.substring(0, 40) + "…";
        }
    }

    public static Fields fields(JsonNode node) {
        return new Fields(node);
    }

    /** The constant of {@code type} named {@code text} in any case, blanks around it ignored; null for none. */
    public static <E extends Enum<E>> E oneOf(Class<E> type, String text) {
        for (E e : type.getEnumConstants()) {
            if (text != null && e.name().equalsIgnoreCase(text.trim())) {
                return e;
            }
        }
        return null;
    }

    /** The first problem among a payload's values, or null. */
    public static String first(String... values) {
        for (String v : values) {
            String p = problem(v);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    /** The value as it may be shown and kept: a rejected one is replaced by a placeholder. */
    public static String shown(String value) {
        return value != null && value.startsWith(MARK) ? "(invalid)" : value;
    }

    /**
     * {@code value} as one line a log or timeline can carry: control characters (a newline that would forge a log
     * line, an escape sequence for a terminal) shown as {@code \\uXXXX}.
     */
    public static String printable(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(value.length());
        value.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                b.append(String.format("\\u%04x", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }
}
