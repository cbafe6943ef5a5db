package org.fastdowntime.model;

/**
 * One lint finding. {@code suppressedBecause} is the reason given in a {@code -- lint: ignore
 * <rule> <reason>} comment, or null when the finding stands.
 */
public record LintFinding(
        String rule, String file, int line, Severity severity, String message, String suppressedBecause) {

    public boolean suppressed() {
        return suppressedBecause != null;
    }

    public LintFinding suppress(String reason) {
        return new LintFinding(rule, file, line, severity, message, reason);
    }

    /** {@code file:line: severity rule: message}, the shape compilers and linters print. */
    public String describe() {
        String head = file + ":" + line + ": " + severity.label() + " " + rule + ": " + message;
        return suppressed() ? head + " (ignored: " + suppressedBecause + ")" : head;
    }
}
