package org.fastdowntime.fleet;

import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.fastdowntime.downtime.ActivityStubs;
import org.fastdowntime.downtime.Journal;
import org.fastdowntime.model.EnvironmentPolicy;
import org.fastdowntime.model.FleetStage;
import org.fastdowntime.model.LedgerEntry;
import org.fastdowntime.model.LedgerWord;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.ports.ApprovalActivities;
import org.fastdowntime.time.Clock;

/**
 * A fleet's QA: one verdict per patch version for the whole fleet, read from the approval ledger of the fleet's
 * environment (where {@code approve --environment ENV} records it, checked against the approvers and, where the
 * environment requires it, signed). A verdict counts only for the exact file (SHA-256) it was given for; a standing
 * qaBad wins over a qaOk. Workflow code.
 */
final class FleetQa {
    private final ApprovalActivities ledger = ActivityStubs.approvals();
    private boolean changed;
    /** The ledger's word as last read (null before the first read), for the status while QA waits. */
    private Reading last;

    /** The ledger's word as last read, or null. */
    Reading last() {
        return last;
    }

    /** Someone recorded a verdict in the ledger: read it now rather than when QA closes. */
    void changed() {
        changed = true;
    }

    /**
     * Reads the ledger of {@code environment} until every candidate has a word, or {@code deadline}, or {@code
     * aborted}: when QA opens, whenever the window is told the ledger changed ({@code approve} tells running
     * windows), and once more when QA closes — never on a timer, so a window announced days ahead keeps a short
     * history.
     */
    Reading await(
            String environment,
            EnvironmentPolicy policy,
            List<PatchCandidate> candidates,
            Instant deadline,
            Journal<FleetStage> journal,
            BooleanSupplier aborted) {
        journal.note("Candidates "
                + PatchId.join(candidates.stream().map(PatchCandidate::id).toList())
                + " await QA in the approval ledger of " + environment + " until " + deadline + ".");
        Reading r;
        while (true) {
            changed = false;
            r = read(environment, policy, candidates);
            last = r;
            Duration left = Duration.between(Clock.now(), deadline);
            if (r.decided() || aborted.getAsBoolean() || left.isNegative() || left.isZero()) {
                break;
            }
            Workflow.await(left, () -> changed || aborted.getAsBoolean());
        }
        journal.note("QA closed: approved " + PatchId.join(r.approvedIds())
                + (r.rejected().isEmpty() ? "" : "; rejected " + PatchId.join(r.rejected()))
                + (r.waiting().isEmpty() ? "" : "; not approved in time (next window) " + PatchId.join(r.waiting()))
                + ".");
        return r;
    }

    /** The ledger's word on each candidate now. */
    Reading read(String environment, EnvironmentPolicy policy, List<PatchCandidate> candidates) {
        List<LedgerEntry> entries = ledger.read(
                environment, candidates.stream().map(PatchCandidate::id).toList());
        List<PatchCandidate> approved = new ArrayList<>();
        List<PatchId> rejected = new ArrayList<>();
        List<PatchId> waiting = new ArrayList<>();
        for (PatchCandidate c : candidates) {
            List<LedgerEntry> standing = entries.stream()
                    .filter(e -> e.standsFor(c.id(), c.sha256()) && (!policy.signedOnly() || e.signed()))
                    .toList();
            if (standing.stream().anyMatch(e -> e.word() == LedgerWord.QA_BAD)) {
                rejected.add(c.id());
            } else if (standing.stream().anyMatch(e -> e.word() == LedgerWord.QA_OK)) {
                approved.add(c);
            } else {
                waiting.add(c.id());
            }
        }
        return new Reading(approved, rejected, waiting);
    }

    /** What the ledger says of the candidates: approved (in order), rejected, still waiting. */
    record Reading(List<PatchCandidate> approved, List<PatchId> rejected, List<PatchId> waiting) {
        boolean decided() {
            return waiting.isEmpty();
        }

        List<PatchId> approvedIds() {
            return approved.stream().map(PatchCandidate::id).toList();
        }
    }
}
