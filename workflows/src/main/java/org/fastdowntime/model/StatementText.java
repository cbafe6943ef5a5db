package org.fastdowntime.model;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The canonical text of a signed statement: a header line, then one {@code key: value} line per field in a fixed
 * order, the optional ones last and only when set, each ending with a newline. What is signed is exactly this text,
 * and what is believed is read back from it.
 */
public final class StatementText {
    /** How far a statement's time may be from the clock of whoever records it. */
    public static final Duration FRESH = Duration.ofMinutes(10);

    private static final Pattern NONCE = Pattern.compile("[0-9a-f]{32}");

    private StatementText() {}

    /** The text of the {@code values} of {@code keys}, in order (null values left out), under {@code header}. */
    static String render(String header, List<String> keys, String... values) {
        StringBuilder b = new StringBuilder(header).append('\n');
        for (int i = 0; i < keys.size(); i++) {
            if (values[i] != null) {
                b.append(keys.get(i)).append(": ").append(values[i]).append('\n');
            }
        }
        return b.toString();
    }

    /**
     * The fields of {@code text}, which must be {@code header} then exactly {@code keys} in order, the last {@code
     * optional} of them only when present; anything else is refused with why.
     */
    static Map<String, String> parse(String text, String header, List<String> keys, int optional) {
        if (text == null || !text.startsWith(header + "\n") || !text.endsWith("\n")) {
            throw new IllegalArgumentException("not a statement: it must start with \"" + header + "\"");
        }
        String[] lines = text.substring(header.length() + 1, text.length() - 1).split("\n", -1);
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(": ");
            if (colon <= 0 || fields.put(line.substring(0, colon), line.substring(colon + 2)) != null) {
                throw new IllegalArgumentException("not a statement line: " + Lenient.printable(line));
            }
        }
        List<String> got = List.copyOf(fields.keySet());
        int required = keys.size() - optional;
        boolean ordered =
                got.size() >= required && got.size() <= keys.size() && got.equals(keys.subList(0, got.size()));
        if (!ordered) {
            throw new IllegalArgumentException("a statement has the lines " + keys + " in that order, not " + got);
        }
        return fields;
    }

    /**
     * Reads {@code text} as a statement: {@code build} makes it from the fields; refused with its {@code problem},
     * or when its {@code canonical} text is not exactly {@code text}.
     */
    static <T> T read(
            String text,
            String header,
            List<String> keys,
            java.util.function.Function<Map<String, String>, T> build,
            java.util.function.Function<T, String> problem,
            java.util.function.Function<T, String> canonical) {
        T s = build.apply(parse(text, header, keys, 1));
        String why = problem.apply(s);
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
        if (!canonical.apply(s).equals(text)) {
            throw new IllegalArgumentException("the statement is not in its canonical form");
        }
        return s;
    }

    /** Null if every value is one line without surrounding blanks and the nonce is 32 lowercase hex digits. */
    static String problem(String nonce, String... values) {
        for (String v : values) {
            if (v != null && (v.chars().anyMatch(Character::isISOControl) || !v.equals(v.strip()))) {
                return "a statement's values are single lines without surrounding blanks";
            }
        }
        return nonce != null && NONCE.matcher(nonce).matches() ? null : "nonce must be 32 lowercase hex digits";
    }

    /** Null if a statement made at {@code time} is fresh at {@code now}, else why not. */
    public static String staleness(Instant time, Instant now) {
        return Duration.between(time, now).abs().compareTo(FRESH) <= 0
                ? null
                : "the statement was made at " + time + ", more than " + FRESH.toMinutes() + " minutes from now (" + now
                        + "): sign a new one";
    }
}
