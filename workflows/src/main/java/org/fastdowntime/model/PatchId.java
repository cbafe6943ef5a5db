package org.fastdowntime.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A schema patch's identity in Launchpad's numbering: MAJOR-MINOR-PATCH, written with 4-2-1 digits
 * ({@code 2211-30-0}) and ordered numerically. Serialised as that string.
 */
public record PatchId(int major, int minor, int patch) implements Comparable<PatchId> {

    private static final Pattern TEXT = Pattern.compile("(\\d{4})-(\\d{2})-(\\d)");
    private static final Comparator<PatchId> ORDER = Comparator.comparingInt(PatchId::major)
            .thenComparingInt(PatchId::minor)
            .thenComparingInt(PatchId::patch);

    public PatchId {
        if (major < 0 || major > 9999 || minor < 0 || minor > 99 || patch < 0 || patch > 9) {
            throw new IllegalArgumentException("patch id out of range (MAJOR 0-9999, MINOR 0-99, PATCH 0-9): "
                    + major
                    + "-"
                    + minor
                    + "-"
                    + patch);
        }
    }

    /**
     * Parses {@code 2211-30-0}; anything else is rejected with a message naming the expected form.
     */
    @JsonCreator
    public static PatchId parse(String text) {
        Matcher m = TEXT.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "not a patch id: '" + text + "' (expected MAJOR-MINOR-PATCH with 4-2-1 digits, e.g. 2211-30-0)");
        }
        return new PatchId(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }

    @Override
    public int compareTo(PatchId other) {
        return ORDER.compare(this, other);
    }

    @JsonValue
    @Override
    public String toString() {
        return String.format("%04d-%02d-%d", major, minor, patch);
    }

    /** {@code 2300-01-0, 2300-02-0}: ids as the timeline and announcements list them. */
    public static String join(java.util.Collection<PatchId> ids) {
        return ids.stream().map(PatchId::toString).collect(java.util.stream.Collectors.joining(", "));
    }
}
