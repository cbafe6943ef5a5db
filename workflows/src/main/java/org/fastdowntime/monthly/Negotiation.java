package org.fastdowntime.monthly;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fastdowntime.model.MonthlyPolicy;
import org.fastdowntime.model.MonthlySignals;
import org.fastdowntime.model.MonthlyStage;

/**
 * The monthly downtime's windows and their negotiation: the main and backup windows, which party
 * confirmed them, new proposals, and where an aborted window goes next. Plain state; the workflow
 * asks it and waits on it.
 */
final class Negotiation {
    private final MonthlyPolicy policy;
    private final List<String> parties;
    private final Map<String, String> confirmations = new LinkedHashMap<>();
    private Instant main;
    private Instant backup;
    private boolean backupUsed;
    private boolean changed;

    Negotiation(MonthlyPolicy policy, List<String> parties, Instant main, Instant backup) {
        this.policy = policy;
        this.parties = parties;
        this.main = main;
        this.backup = backup;
    }

    Instant main() {
        return main;
    }

    Instant backup() {
        return backup;
    }

    Map<String, String> confirmations() {
        return Map.copyOf(confirmations);
    }

    boolean allConfirmed() {
        return parties.stream().allMatch(confirmations::containsKey);
    }

    List<String> missing() {
        return parties.stream().filter(p -> !confirmations.containsKey(p)).toList();
    }

    /** Whether new windows were proposed since the last call (and forgets it). */
    boolean takeChanged() {
        boolean c = changed;
        changed = false;
        return c;
    }

    boolean changed() {
        return changed;
    }

    /** Null when the windows are acceptable, else why not. */
    String problem(Instant m, Instant b, Instant now) {
        if (m.isBefore(now.plus(policy.minNotice()))) {
            long days = policy.minNotice().toDays();
            return "the main window "
                    + m
                    + " is less than "
                    + days
                    + " days away; windows need "
                    + days
                    + " days' notice";
        }
        if (!b.isAfter(m.plus(policy.windowLength()))) {
            return "the backup window "
                    + b
                    + " must start after the main window ends ("
                    + m.plus(policy.windowLength())
                    + ")";
        }
        return null;
    }

    // ---- confirmWindow and proposeWindow --------------------------------------------------------

    String confirmProblem(MonthlySignals.Window s, MonthlyStage stage) {
        if (s != null && s.invalid() != null) {
            return s.invalid();
        }
        if (s == null || blank(s.party()) || blank(s.by())) {
            return "the payload needs \"party\" and \"by\"";
        }
        if (stage != MonthlyStage.CONFIRMING) {
            return "the windows are already settled (stage " + stage + ")";
        }
        if (!parties.contains(s.party())) {
            return "'" + s.party() + "' is not a confirming party of this downtime";
        }
        return policy.inParty(s.party(), s.by()) ? null : s.by() + " does not speak for " + s.party();
    }

    void confirm(MonthlySignals.Window s) {
        confirmations.put(s.party(), s.by());
    }

    /** A proposal read: the new windows, or why not. */
    record Proposal(Instant main, Instant backup, String problem) {}

    Proposal proposal(MonthlySignals.Window s, MonthlyStage stage, Instant now) {
        if (s != null && s.invalid() != null) {
            return new Proposal(null, null, s.invalid());
        }
        if (s == null || blank(s.party()) || blank(s.by()) || blank(s.main()) || blank(s.backup())) {
            return new Proposal(null, null, "the payload needs \"party\", \"by\", \"main\" and \"backup\"");
        }
        if (stage != MonthlyStage.CONFIRMING) {
            return new Proposal(null, null, "the windows are already settled (stage " + stage + ")");
        }
        if (!policy.inParty(s.party(), s.by())) {
            return new Proposal(null, null, s.by() + " does not speak for " + s.party());
        }
        try {
            Instant m = OffsetDateTime.parse(s.main()).toInstant();
            Instant b = OffsetDateTime.parse(s.backup()).toInstant();
            return new Proposal(m, b, problem(m, b, now));
        } catch (DateTimeParseException e) {
            return new Proposal(null, null, "\"main\" and \"backup\" must be ISO-8601 times with an offset");
        }
    }

    /** New windows: confirmations start again, with the proposer's. */
    void propose(Proposal p, MonthlySignals.Window s) {
        main = p.main();
        backup = p.backup();
        confirmations.clear();
        confirmations.put(s.party(), s.by());
        changed = true;
    }

    // ---- after an abort -----------------------------------------------------------------------

    /** Where an aborted window goes, and how that is said. */
    record Rescheduled(Instant at, String how) {}

    /** The backup if it gives enough notice, else the first hour that does. */
    Rescheduled reschedule(Instant now) {
        Instant earliest = now.plus(policy.backupNotice());
        Rescheduled r;
        if (!backupUsed && !backup.isBefore(earliest)) {
            r = new Rescheduled(backup, "the backup window");
        } else {
            r = new Rescheduled(
                    earliest.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS),
                    backupUsed
                            ? "a new window (the backup was used)"
                            : "a new window: the backup window "
                                    + backup
                                    + " is less than "
                                    + policy.backupNotice().toHours()
                                    + " h away");
        }
        backupUsed = true;
        main = r.at();
        return r;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
