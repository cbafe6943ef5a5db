package org.fastdowntime.model;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a person signs to give a verdict on a patch: the environment, the patch and the SHA-256 of the file they
 * judged, the verdict, who they are, when, and a nonce that makes each statement usable once. Its text is canonical
 * (one {@code key: value} per line, in this order), so that the signature covers exactly these fields and the ledger
 * reads them back from what was signed.
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
    private static final Pattern NONCE = Pattern.compile("[0-9a-f]{32}");

    /** The canonical text, ending with a newline; the note line only when there is one. */
    public String text() {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        b.append("environment: ").append(environment).append('\n');
        b.append("patch: ").append(patch).append('\n');
        b.append("sha256: ").append(sha256).append('\n');
        b.append("verdict: ").append(verdict.wire()).append('\n');
        b.append("by: ").append(by).append('\n');
        b.append("time: ").append(time).append('\n');
        b.append("nonce: ").append(nonce).append('\n');
        if (note != null) {
            b.append("note: ").append(note).append('\n');
        }
        return b.toString();
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
        for (String v : new String[] {environment, patch, sha256, by, nonce, note}) {
            if (v != null && (v.chars().anyMatch(Character::isISOControl) || !v.equals(v.strip()))) {
                return "a statement's values are single lines without surrounding blanks";
            }
        }
        if (!SHA.matcher(sha256).matches()) {
            return "sha256 must be 64 lowercase hex digits";
        }
        if (!NONCE.matcher(nonce).matches()) {
            return "nonce must be 32 lowercase hex digits";
        }
        return null;
    }

    /** Reads a canonical statement back; refuses anything else (a missing, extra or reordered line) with why. */
    public static ApprovalStatement parse(String text) {
        if (text == null || !text.startsWith(HEADER + "\n") || !text.endsWith("\n")) {
            throw new IllegalArgumentException("not a statement: it must start with \"" + HEADER + "\"");
        }
        String[] lines = text.substring(HEADER.length() + 1, text.length() - 1).split("\n", -1);
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(": ");
            if (colon <= 0) {
                throw new IllegalArgumentException("not a statement line: " + Lenient.printable(line));
            }
            fields.put(line.substring(0, colon), line.substring(colon + 2));
        }
        List<String> keys = List.copyOf(fields.keySet());
        List<String> expected = fields.containsKey("note") ? KEYS : KEYS.subList(0, KEYS.size() - 1);
        if (!keys.equals(expected) || lines.length != keys.size()) {
            throw new IllegalArgumentException("a statement has the lines " + expected + " in that order, not " + keys);
        }
        LedgerWord verdict = LedgerWord.of(fields.get("verdict"));
        if (verdict == null) {
            throw new IllegalArgumentException("unknown verdict " + Lenient.printable(fields.get("verdict")));
        }
        Instant time;
        try {
            time = Instant.parse(fields.get("time"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("time is not an instant: " + Lenient.printable(fields.get("time")));
        }
        ApprovalStatement s = new ApprovalStatement(
                fields.get("environment"),
                fields.get("patch"),
                fields.get("sha256"),
                verdict,
                fields.get("by"),
                time,
                fields.get("nonce"),
                fields.get("note"));
        String problem = s.problem();
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (!s.text().equals(text)) {
            throw new IllegalArgumentException("the statement is not in its canonical form");
        }
        return s;
    }
}
