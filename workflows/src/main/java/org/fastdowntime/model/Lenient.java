package org.fastdowntime.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Decoding of what people type into the Temporal UI or CLI that never fails: a value of the wrong
 * JSON type, or a text too long to keep in a workflow's history, becomes a marked value that the
 * workflow rejects with a clear reason it keeps in its status — instead of a payload the SDK cannot
 * decode, which would be dropped (a signal) or block the workflow (its input). Payload records read
 * their fields through {@link #fields} in a delegating creator.
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

    /** The problem with a field's value, or null when it is fine (absent counts as fine here). */
    public static String problem(String field, String value) {
        if (value == null || !value.startsWith(MARK)) {
            return null;
        }
        return value.startsWith(MARK + MARK) ? value.substring(2) : "\"" + field + "\" " + value.substring(1);
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
                n.forEach(e -> out.add(Lenient.text(e)));
            } else if (n.isObject()) {
                out.add(MARK + "must be a list, not an object");
            } else {
                out.add(Lenient.text(n));
            }
            return out;
        }

        public String text(String name) {
            if (node != null && node.isObject()) {
                return Lenient.text(node.get(name));
            }
            if (node == null || node.isNull() || reported) {
                return null;
            }
            reported = true;
            return MARK
                    + MARK
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

    /** The first problem of {@code field, value, field, value…}, or null. */
    public static String first(String... fieldsAndValues) {
        for (int i = 0; i + 1 < fieldsAndValues.length; i += 2) {
            String p = problem(fieldsAndValues[i], fieldsAndValues[i + 1]);
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
}
