package org.fastdowntime.fast;

import io.temporal.failure.ActivityFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fastdowntime.downtime.ActivityStubs;
import org.fastdowntime.downtime.Change;
import org.fastdowntime.downtime.Journal;
import org.fastdowntime.downtime.Verdicts;
import org.fastdowntime.downtime.WindowFailures;
import org.fastdowntime.model.FastStage;
import org.fastdowntime.model.LedgerEntry;
import org.fastdowntime.model.LedgerItem;
import org.fastdowntime.model.LedgerRequest;
import org.fastdowntime.model.LedgerWord;
import org.fastdowntime.model.Lenient;
import org.fastdowntime.model.QaSignal;
import org.fastdowntime.model.QaWord;
import org.fastdowntime.ports.ApprovalActivities;

/**
 * A fast window's link to its environment's approval ledger (change "approval-ledger"): the verdicts the ledger holds
 * count when QA opens, whenever the window is told the ledger changed, and once more before QA closes; the words
 * given to the window itself are recorded there, so a later window needs no new approval. A verdict given for another
 * version of the file is stale and does not count; one revoked in the ledger is taken back. Workflow code.
 */
final class LedgerLink {
    /** Most patches in one request to the ledger. */
    private static final int BATCH = 200;

    private final QaGate qa;
    private final Verdicts verdicts;
    private final Journal<FastStage> journal;
    private final String environment;
    private final String workflowId;
    private final List<LedgerRequest> outbox = new ArrayList<>();
    /** The ledger's entries this window counts, by number: a revocation of one is taken back. */
    private final Map<Long, LedgerEntry> counted = new HashMap<>();
    /** The ledger's entries already judged here (counted, refused or stale). */
    private final Set<Long> seen = new HashSet<>();

    private ApprovalActivities ledger;
    private boolean changed;

    LedgerLink(QaGate qa, Verdicts verdicts, Journal<FastStage> journal, String environment, String workflowId) {
        this.qa = qa;
        this.verdicts = verdicts;
        this.journal = journal;
        this.environment = environment;
        this.workflowId = workflowId;
        // Held signals are judged as QA opens, before open(): what they give is queued from the start, and sent
        // only by a window that runs the change.
        qa.onAccepted(this::given);
    }

    /** QA opens: from now on this window reads and writes the ledger (if it runs the change). */
    void open() {
        if (!Change.APPROVAL_LEDGER.isOn()) {
            return;
        }
        ledger = ActivityStubs.approvals();
        read();
    }

    /** The ledger changed (a verdict given to it while this window waits): read it at the next turn. */
    void changed() {
        changed = true;
    }

    /** Whether there is something to send to the ledger or read from it. */
    boolean pending() {
        return ledger != null && (changed || !outbox.isEmpty());
    }

    /** Sends what was given here, and reads the ledger if it changed. */
    void sync() {
        send();
        if (changed) {
            read();
        }
    }

    /** QA is about to close: what was given here is sent, and the ledger read a last time. */
    void beforeClose() {
        if (ledger != null) {
            send();
            read();
        }
    }

    private void given(QaWord word, QaSignal s) {
        QaCandidate c = qa.find(org.fastdowntime.model.PatchId.parse(s.patch()));
        String note = word == QaWord.QA_BAD ? s.reason() != null ? s.reason() : s.note() : s.note();
        outbox.add(new LedgerRequest(
                word.wire(),
                Lenient.shown(s.by()),
                note,
                List.of(new LedgerItem(c.patch.id().toString(), c.patch.sha256(), null, null)),
                workflowId));
    }

    /** The words given here, batched by word, person and note; a refused batch is sent again patch by patch. */
    private void send() {
        while (!outbox.isEmpty()) {
            LedgerRequest first = outbox.remove(0);
            List<LedgerItem> items = new ArrayList<>(first.items());
            while (!outbox.isEmpty() && items.size() < BATCH && sameWords(first, outbox.get(0))) {
                items.addAll(outbox.remove(0).items());
            }
            LedgerRequest batch = new LedgerRequest(first.word(), first.by(), first.note(), items, workflowId);
            if (!record(batch) && items.size() > 1) {
                for (LedgerItem one : items) {
                    record(new LedgerRequest(first.word(), first.by(), first.note(), List.of(one), workflowId));
                }
            }
        }
    }

    private static boolean sameWords(LedgerRequest a, LedgerRequest b) {
        return a.word().equals(b.word()) && a.by().equals(b.by()) && java.util.Objects.equals(a.note(), b.note());
    }

    private boolean record(LedgerRequest r) {
        try {
            for (LedgerEntry e : ledger.record(environment, r)) {
                seen.add(e.seq());
                counted.put(e.seq(), e);
            }
            return true;
        } catch (ActivityFailure e) {
            if (r.items().size() == 1) {
                journal.note("The approval ledger did not record " + r.word() + " for "
                        + r.items().get(0).patch() + " by " + r.by() + " (it counts for this window only): "
                        + WindowFailures.of(e).message() + ".");
            }
            return false;
        }
    }

    private void read() {
        changed = false;
        int before = counted.size();
        List<LedgerEntry> entries;
        try {
            entries = ledger.read(environment, qa.ids());
        } catch (ActivityFailure e) {
            journal.note("Could not read the approval ledger of " + environment + " (only the verdicts given to this"
                    + " window count until it can): " + WindowFailures.of(e).message() + ".");
            return;
        }
        for (LedgerEntry e : entries) {
            if (e.word() == LedgerWord.REVOKE) {
                continue;
            }
            if (e.revoked()) {
                if (counted.remove(e.seq()) != null) {
                    qa.revoked(e.patch(), e.word().qaWord(), e.by(), e.revokedBy(), e.revokeReason());
                }
            } else if (seen.add(e.seq())) {
                judge(e);
            }
        }
        if (counted.size() > before) {
            journal.note("The approval ledger of " + environment + ": " + (counted.size() - before)
                    + " verdict(s) given before now count for this window.");
        }
    }

    private void judge(LedgerEntry e) {
        QaCandidate c = qa.find(e.patch());
        if (c == null) {
            return;
        }
        QaWord word = e.word().qaWord();
        if (!e.sha256().equals(c.patch.sha256())) {
            verdicts.judge(
                    word.wire(),
                    e.by(),
                    e.patch().toString(),
                    "stale: given in the ledger for " + e.sha256().substring(0, 12) + "…, but " + c.patch.file()
                            + " is now " + c.patch.sha256().substring(0, 12) + "… (edited since): judge it again",
                    null);
            return;
        }
        QaSignal s = new QaSignal(e.patch().toString(), e.by(), e.note(), word == QaWord.QA_BAD ? e.note() : null);
        if (qa.fromLedger(word, s)) {
            counted.put(e.seq(), e);
        }
    }
}
