package org.fastdowntime.approval;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.fastdowntime.model.ApprovalCheck;
import org.fastdowntime.model.ApprovalStatement;
import org.fastdowntime.model.LedgerEntry;
import org.fastdowntime.model.LedgerItem;
import org.fastdowntime.model.LedgerRequest;
import org.fastdowntime.model.LedgerState;
import org.fastdowntime.model.LedgerView;
import org.fastdowntime.model.LedgerWord;
import org.fastdowntime.model.Lenient;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.StatementText;

/**
 * An approval ledger's state and rules, as plain code: what a request may record, and the entries it records. The
 * workflow feeds it the worker's check; it does no Temporal call, so it can be tested alone.
 */
final class Ledger {
    /** A verdict is kept this long; a patch still pending after it needs a new one. */
    static final Duration KEEP = Duration.ofDays(90);
    /** A revoked verdict and its revocation are kept this long, for the record. */
    static final Duration KEEP_REVOKED = Duration.ofDays(30);
    /** The most patches one request may name. */
    static final int MOST_ITEMS = 200;

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{64}");

    private final String environment;
    private final List<LedgerEntry> entries;
    private final Map<String, Instant> nonces;
    private long nextSeq;
    private final int runs;
    /** The latest requests given by signal and refused, with why (not carried to the next run). */
    private final List<String> refused = new ArrayList<>();

    Ledger(LedgerState state) {
        this.environment = state.environment();
        this.entries = new ArrayList<>(state.entries());
        this.nonces = new LinkedHashMap<>(state.nonces());
        this.nextSeq = state.nextSeq();
        this.runs = state.runs();
    }

    String environment() {
        return environment;
    }

    /**
     * What can be refused before the worker checks anything: the request's shape, and for signed items the
     * statement's fields against the request, its freshness and its nonce. Empty when nothing is wrong.
     */
    List<String> precheck(LedgerRequest r, Instant now) {
        List<String> out = new ArrayList<>();
        if (r == null) {
            return List.of("the payload needs \"word\", \"by\" and \"items\"");
        }
        LedgerWord word = r.verdict();
        if (word == null) {
            out.add("\"word\" is one of qaOk, qaBad, signOff, revoke (got " + Lenient.printable(r.word()) + ")");
        }
        if (r.by() == null || r.by().isBlank()) {
            out.add("the payload needs \"by\"");
        }
        if ((word == LedgerWord.QA_BAD || word == LedgerWord.REVOKE)
                && (r.note() == null || r.note().isBlank())) {
            out.add("a " + word.wire() + " needs a reason (\"note\")");
        }
        if (r.items().isEmpty()) {
            out.add("the payload names no patch (\"items\"): nothing selected is never everything");
        } else if (r.items().size() > MOST_ITEMS) {
            out.add("a request names at most " + MOST_ITEMS + " patches; this one names "
                    + r.items().size());
        }
        if (!out.isEmpty()) {
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (LedgerItem item : r.items()) {
            String problem = itemProblem(r, word, item, now, seen);
            if (problem != null) {
                out.add(Lenient.printable(String.valueOf(item == null ? null : item.patch())) + ": " + problem);
            }
        }
        return out;
    }

    private String itemProblem(LedgerRequest r, LedgerWord word, LedgerItem item, Instant now, Set<String> seen) {
        if (item == null || item.patch() == null) {
            return "an item needs \"patch\"";
        }
        try {
            PatchId.parse(item.patch());
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (!seen.add(item.patch())) {
            return "named twice";
        }
        if (item.sha256() != null && !SHA.matcher(item.sha256()).matches()) {
            return "sha256 must be 64 lowercase hex digits";
        }
        if (!item.signed()) {
            return null;
        }
        if (item.statement() == null || item.signature() == null) {
            return "a signed item needs both \"statement\" and \"signature\"";
        }
        ApprovalStatement s;
        try {
            s = ApprovalStatement.parse(item.statement());
        } catch (IllegalArgumentException e) {
            return "the statement: " + e.getMessage();
        }
        return statementProblem(r, word, item, s, now);
    }

    /** The statement must say what the request says, be fresh and be new. */
    private String statementProblem(
            LedgerRequest r, LedgerWord word, LedgerItem item, ApprovalStatement s, Instant now) {
        if (!environment.equals(s.environment())) {
            return "the statement is for environment " + s.environment() + ", not " + environment;
        }
        if (!item.patch().equals(s.patch())) {
            return "the statement is about " + s.patch();
        }
        if (item.sha256() != null && !item.sha256().equals(s.sha256())) {
            return "the statement names another checksum (" + abbreviate(s.sha256()) + ")";
        }
        if (s.verdict() != word) {
            return "the statement says " + s.verdict().wire() + ", not " + word.wire();
        }
        if (!s.by().equals(r.by())) {
            return "the statement is " + s.by() + "'s, not " + r.by() + "'s";
        }
        if (!Objects.equals(s.note(), r.note() == null || r.note().isBlank() ? null : r.note())) {
            return "the statement's note differs from the request's";
        }
        String stale = StatementText.staleness(s.time(), now);
        if (stale != null) {
            return stale;
        }
        Instant used = nonces.get(s.nonce());
        if (used != null) {
            return "replayed: this statement was already recorded at " + used;
        }
        return null;
    }

    /**
     * Records {@code r} as checked by the worker, all or nothing: returns the entries recorded, or throws {@link
     * Refused} with every reason and records nothing.
     */
    List<LedgerEntry> record(LedgerRequest r, ApprovalCheck check, Instant now) {
        List<String> problems = new ArrayList<>(precheck(r, now));
        if (problems.isEmpty()) {
            for (int i = 0; i < r.items().size(); i++) {
                String problem = ruleProblem(r, r.items().get(i), check.items().get(i), check.signedOnly());
                if (problem != null) {
                    problems.add(r.items().get(i).patch() + ": " + problem);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new Refused(problems);
        }
        List<LedgerEntry> recorded = new ArrayList<>();
        for (int i = 0; i < r.items().size(); i++) {
            recorded.add(add(r, r.items().get(i), check.items().get(i), now));
        }
        return recorded;
    }

    /** The worker's verdict on the item, then the ledger's own rules (duplicates, rejections, two people). */
    private String ruleProblem(LedgerRequest r, LedgerItem item, ApprovalCheck.Item checked, boolean signedOnly) {
        if (checked.problem() != null) {
            return checked.problem();
        }
        if (signedOnly && !item.signed()) {
            return environment + " records only signed verdicts: ./fastdowntime approve --sign";
        }
        String sha = checked.sha256();
        if (item.sha256() != null && !item.sha256().equals(sha)) {
            return "stale: it names " + abbreviate(item.sha256()) + " but the file is now " + abbreviate(sha);
        }
        PatchId patch = PatchId.parse(item.patch());
        List<LedgerEntry> standing =
                entries.stream().filter(e -> e.standsFor(patch, sha)).toList();
        return switch (r.verdict()) {
            case QA_OK ->
                firstOf(
                        duplicate(standing, LedgerWord.QA_OK, r.by()),
                        standing.stream()
                                .filter(e -> e.word() == LedgerWord.QA_BAD)
                                .findFirst()
                                .map(e -> "rejected by " + e.by() + " (" + e.note()
                                        + "): a rejected file stays out; revoke the rejection or fix it in a new file")
                                .orElse(null),
                        twoPeople(standing, LedgerWord.SIGN_OFF, r.by(), "signed it off: its QA-ok"));
            case SIGN_OFF ->
                firstOf(
                        duplicate(standing, LedgerWord.SIGN_OFF, r.by()),
                        twoPeople(standing, LedgerWord.QA_OK, r.by(), "gave it its QA-ok: its sign-off"));
            case QA_BAD -> duplicate(standing, LedgerWord.QA_BAD, r.by());
            case REVOKE ->
                entries.stream().anyMatch(e -> !e.revoked() && e.patch().equals(patch) && e.word() != LedgerWord.REVOKE)
                        ? null
                        : "nothing to revoke: no standing verdict on " + patch;
        };
    }

    private static String duplicate(List<LedgerEntry> standing, LedgerWord word, String by) {
        return standing.stream().anyMatch(e -> e.word() == word && e.by().equals(by))
                ? "duplicate: " + by + " already said " + word.wire() + " for this file"
                : null;
    }

    private static String twoPeople(List<LedgerEntry> standing, LedgerWord other, String by, String what) {
        return standing.stream().anyMatch(e -> e.word() == other && e.by().equals(by))
                ? by + " " + what + " needs another person"
                : null;
    }

    private static String firstOf(String... problems) {
        for (String p : problems) {
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    private LedgerEntry add(LedgerRequest r, LedgerItem item, ApprovalCheck.Item checked, Instant now) {
        PatchId patch = PatchId.parse(item.patch());
        String note = r.note() == null || r.note().isBlank() ? null : r.note();
        if (r.verdict() == LedgerWord.REVOKE) {
            entries.replaceAll(e -> !e.revoked() && e.patch().equals(patch) && e.word() != LedgerWord.REVOKE
                    ? e.revoke(now, r.by(), note)
                    : e);
        }
        if (checked.statement() != null) {
            nonces.put(checked.statement().nonce(), now);
        }
        LedgerEntry entry = new LedgerEntry(
                nextSeq++,
                r.verdict(),
                patch,
                checked.sha256(),
                r.by(),
                now,
                note,
                r.window(),
                item.statement(),
                item.signature(),
                null,
                null,
                null);
        entries.add(entry);
        return entry;
    }

    LedgerView view() {
        return new LedgerView(environment, entries, runs + 1, refused);
    }

    /** A request given by signal was refused: kept (the latest 20) for the query, as nobody waits for an answer. */
    void refused(Instant now, LedgerRequest r, String why) {
        refused.add(now + " " + (r == null ? "?" : r.word() + " by " + r.by()) + " refused: " + why);
        if (refused.size() > 20) {
            refused.remove(0);
        }
    }

    /**
     * Drops what is no longer kept: verdicts older than {@link #KEEP}, revoked ones and revocations older than {@link
     * #KEEP_REVOKED}, and nonces no longer fresh enough to be replayed.
     */
    void prune(Instant now) {
        entries.removeIf(e -> !e.at().isAfter(now.minus(KEEP))
                || (e.revoked() && e.revokedAt().isBefore(now.minus(KEEP_REVOKED)))
                || (e.word() == LedgerWord.REVOKE && e.at().isBefore(now.minus(KEEP_REVOKED))));
        nonces.values().removeIf(at -> !at.isAfter(now.minus(StatementText.FRESH.multipliedBy(2))));
    }

    /** What the next run starts from: the ledger, pruned. */
    LedgerState next(Instant now) {
        prune(now);
        return new LedgerState(environment, entries, nonces, nextSeq, runs + 1);
    }

    private static String abbreviate(String sha) {
        return sha == null ? "none" : sha.substring(0, Math.min(12, sha.length())) + "…";
    }

    /** A request refused, with every reason; nothing of it was recorded. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final List<String> reasons;

        Refused(List<String> reasons) {
            super(String.join("; ", reasons));
            this.reasons = List.copyOf(reasons);
        }

        List<String> reasons() {
            return reasons;
        }
    }
}
