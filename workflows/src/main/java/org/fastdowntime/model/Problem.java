package org.fastdowntime.model;

/**
 * One reason a patch set cannot be trusted as it is; {@code file} and {@code line} may be null/0.
 */
public record Problem(ProblemType type, String file, int line, String message) {

    public static Problem of(ProblemType type, String file, String message) {
        return new Problem(type, file, 0, message);
    }

    /** Every problem of {@code problems}, described, one after the other. */
    public static String describeAll(java.util.List<Problem> problems) {
        return String.join("; ", problems.stream().map(Problem::describe).toList());
    }

    public String describe() {
        StringBuilder b = new StringBuilder();
        if (file != null) {
            b.append(file);
            if (line > 0) {
                b.append(':').append(line);
            }
            b.append(": ");
        }
        return b.append(type.title()).append(": ").append(message).toString();
    }
}
