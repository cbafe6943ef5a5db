package org.fastdowntime.time;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads durations the way people write them in configs and on command lines: 500ms, 5s, 2m, 1h, 1d
 * or ISO-8601.
 */
public final class Durations {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");

    private Durations() {}

    public static Duration parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(t);
        if (m.matches()) {
            double n = Double.parseDouble(m.group(1));
            long unitMillis =
                    switch (m.group(2)) {
                        case "ms" -> 1;
                        case "s" -> 1_000;
                        case "m" -> 60_000;
                        case "h" -> 3_600_000;
                        default -> 86_400_000;
                    };
            return Duration.ofMillis(Math.round(n * unitMillis));
        }
        try {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "not a duration: '" + text + "' (write e.g. 500ms, 5s, 2m, 1h, 1d or ISO-8601 PT5S)");
        }
    }

    /** As a person writes it, in the largest unit that divides it: 1h, 90m, 2s, 500ms. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        long[] units = {86_400_000, 3_600_000, 60_000, 1_000};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (ms != 0 && ms % units[i] == 0) {
                return ms / units[i] + names[i];
            }
        }
        return ms + "ms";
    }
}
