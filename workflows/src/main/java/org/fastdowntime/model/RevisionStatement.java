package org.fastdowntime.model;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a QA engineer signs to QA-ok a db-stable revision for a monthly downtime: the environment, the revision (the
 * commit, at least 7 hex digits), who they are, when, and a nonce that makes it usable once. Canonical text ({@link
 * StatementText}), signed as an OpenSSH {@code SSHSIG} like a patch's {@link ApprovalStatement}.
 */
public record RevisionStatement(
        String environment, String revision, String by, Instant time, String nonce, String note) {
    public static final String HEADER = "fastdowntime revision qa-ok v1";

    private static final List<String> KEYS = List.of("environment", "revision", "by", "time", "nonce", "note");
    private static final Pattern REVISION = Pattern.compile("[0-9a-f]{7,64}");

    public String text() {
        return StatementText.render(HEADER, KEYS, environment, revision, by, time.toString(), nonce, note);
    }

    public String problem() {
        if (environment == null || revision == null || by == null || by.isBlank() || time == null) {
            return "a statement needs environment, revision, by, time and nonce";
        }
        String lines = StatementText.problem(nonce, environment, revision, by, note);
        if (lines != null) {
            return lines;
        }
        return REVISION.matcher(revision).matches() ? null : "the revision must be 7 to 64 lowercase hex digits";
    }

    public static RevisionStatement parse(String text) {
        return StatementText.read(
                text,
                HEADER,
                KEYS,
                f -> new RevisionStatement(
                        f.get("environment"),
                        f.get("revision"),
                        f.get("by"),
                        ApprovalStatement.instant(f.get("time")),
                        f.get("nonce"),
                        f.get("note")),
                RevisionStatement::problem,
                RevisionStatement::text);
    }
}
