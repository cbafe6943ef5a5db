package org.fastdowntime.model;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a person signs to give a verdict on a patch: the environment, the patch and the SHA-256 of the file they
 * judged, the verdict, who they are, when, and a nonce that makes each statement usable once. Its text is canonical
 * ({@link StatementText}), so that the signature covers exactly these fields and the ledger reads them back from what
 * was signed.
 */
public record ApprovalStatement(
        String environment,
        String patch,
        String sha256,
        LedgerWord verdict,
        String by,
        Instant time,
        String nonce,
        String note) {
    /** The first line: what kind of text this is, and its version. */
    public static final String HEADER = "fastdowntime approval v1";

    private static final List<String> KEYS =
            List.of("environment", "patch", "sha256", "verdict", "by", "time", "nonce", "note");
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{64}");

    /** The canonical text, ending with a newline; the note line only when there is one. */
    public String text() {
        return StatementText.render(
                HEADER, KEYS, environment, patch, sha256, verdict.wire(), by, time.toString(), nonce, note);
    }

    /** Null if the fields can be a statement (one line each, a checksum and nonce of the right form), else why not. */
    public String problem() {
        for (String v : new String[] {environment, patch, sha256, by, nonce}) {
            if (v == null || v.isBlank()) {
                return "a statement needs environment, patch, sha256, verdict, by, time and nonce";
            }
        }
        if (verdict == null || time == null) {
            return "a statement needs environment, patch, sha256, verdict, by, time and nonce";
        }
        String lines = StatementText.problem(nonce, environment, patch, sha256, by, note);
        if (lines != null) {
            return lines;
        }
        return SHA.matcher(sha256).matches() ? null : "sha256 must be 64 lowercase hex digits";
    }

    /** Reads a canonical statement back; refuses anything else (a missing, extra or reordered line) with why. */
    public static ApprovalStatement parse(String text) {
        return StatementText.read(
                text, HEADER, KEYS, ApprovalStatement::of, ApprovalStatement::problem, ApprovalStatement::text);
    }

    private static ApprovalStatement of(Map<String, String> fields) {
        LedgerWord verdict = LedgerWord.of(fields.get("verdict"));
        if (verdict == null) {
            throw new IllegalArgumentException("unknown verdict " + Lenient.printable(fields.get("verdict")));
        }
        return new ApprovalStatement(
                fields.get("environment"),
                fields.get("patch"),
                fields.get("sha256"),
                verdict,
                fields.get("by"),
                instant(fields.get("time")),
                fields.get("nonce"),
                fields.get("note"));
    }

    static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException("time is not an instant: " + Lenient.printable(text));
        }
    }
}
