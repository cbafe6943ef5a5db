package org.fastdowntime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.util.List;
import org.fastdowntime.approval.ApprovalLedgerWorkflow;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.ledger.Ledgers;
import org.fastdowntime.model.AbortSignal;
import org.fastdowntime.model.FastDowntimeResult;
import org.fastdowntime.model.FastDowntimeStatus;
import org.fastdowntime.model.LedgerEntry;
import org.fastdowntime.model.LedgerItem;
import org.fastdowntime.model.LedgerRequest;
import org.fastdowntime.model.LedgerWord;
import org.fastdowntime.model.Outcome;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.QaState;
import org.fastdowntime.model.SignalRecord;
import org.junit.jupiter.api.Test;

/**
 * The approval ledger with named verdicts, end to end: the real ledger and window workflows, the real activities and
 * a real database. An approval belongs to the patch and its file, not to one window.
 */
class ApprovalLedgerTest extends FastWindowWorld {
    private ApprovalLedgerWorkflow ledger() {
        return Ledgers.ensure(w.client(), "test", WindowFixture.QUEUE);
    }

    static LedgerRequest named(LedgerWord word, String by, String note, String... patches) {
        return new LedgerRequest(
                word.wire(),
                by,
                note,
                java.util.Arrays.stream(patches)
                        .map(p -> new LedgerItem(p, null, null, null))
                        .toList(),
                null);
    }

    private FastDowntimeResult result(FastDowntimeWorkflow window) {
        return WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class);
    }

    @Test
    void aWindowThatEndsWithoutItsOutageIsFollowedByOneThatNeedsNoNewApproval() throws Exception {
        w.start(true);
        FastDowntimeWorkflow first = startWindow("fdt-ledger-first", inTwoHours("2300-01-0"));
        first.qaOk(ok("2300-01-0", "alice"));
        first.abort(new AbortSignal("a fragile job cannot stop today", "bob"));
        assertThrows(WorkflowFailedException.class, () -> result(first));
        List<LedgerEntry> recorded = ledger().show().entries();
        assertEquals(1, recorded.size(), recorded.toString());
        assertEquals("fdt-ledger-first", recorded.get(0).window());

        FastDowntimeWorkflow second = startWindow("fdt-ledger-second", inTwoHours("2300-01-0"));
        FastDowntimeResult r = result(second);
        assertEquals(Outcome.COMPLETED, r.outcome(), r.toString());
        assertEquals(List.of(PatchId.parse("2300-01-0")), r.applied());
        SignalRecord fromLedger =
                w.existing("fdt-ledger-second").status().signals().get(0);
        assertTrue(fromLedger.accepted() && fromLedger.reason().contains("from the ledger"), fromLedger.toString());
        assertEquals("alice", fromLedger.by());
        replays("fdt-ledger-first");
        replays("fdt-ledger-second");
        replays(ApprovalLedgerWorkflow.workflowId("test"));
    }

    @Test
    void anApprovalGivenBeforeAnyWindowCounts() throws Exception {
        w.start(true);
        List<LedgerEntry> given =
                Ledgers.record(ledger(), named(LedgerWord.QA_OK, "alice", "fine on qastaging", "2300-01-0"));
        assertEquals(64, given.get(0).sha256().length(), "keyed by the file's checksum too");
        FastDowntimeResult r = result(startWindow("fdt-ledger-before", inTwoHours("2300-01-0")));
        assertEquals(List.of(PatchId.parse("2300-01-0")), r.applied());
    }

    @Test
    void anEditedFilesApprovalIsStaleAndNeverApplied() throws Exception {
        w.start(true);
        Ledgers.record(ledger(), named(LedgerWord.QA_OK, "alice", null, "2300-01-0"));
        String oldSha = ledger().show().entries().get(0).sha256();
        Files.writeString(
                patches.resolve("patch-2300-01-0.sql"),
                "-- edited after QA\n" + Files.readString(patches.resolve("patch-2300-01-0.sql")));

        FastDowntimeWorkflow window = startWindow("fdt-ledger-stale", inTwoHours("2300-01-0"));
        FastDowntimeResult r = result(window);
        assertEquals(Outcome.SKIPPED, r.outcome(), r.toString());
        assertEquals(0, db.count("SELECT count(*) FROM LaunchpadDatabaseRevision WHERE minor = 1"));
        FastDowntimeStatus status = w.existing("fdt-ledger-stale").status();
        SignalRecord stale = status.signals().get(0);
        assertFalse(stale.accepted());
        assertTrue(
                stale.reason().startsWith("stale: given in the ledger for " + oldSha.substring(0, 12)), stale.reason());
        assertEquals(QaState.DEFERRED, status.patches().get(0).state());

        LedgerRequest old =
                new LedgerRequest("qaOk", "bob", null, List.of(new LedgerItem("2300-01-0", oldSha, null, null)), null);
        String why = refusal(() -> Ledgers.record(ledger(), old));
        assertTrue(why.contains("stale: it names " + oldSha.substring(0, 12)), why);
        replays("fdt-ledger-stale");
    }

    @Test
    void aRevokedApprovalNoLongerCountsEvenInAWindowThatAlreadyCountedIt() throws Exception {
        w.start(true);
        Ledgers.record(ledger(), named(LedgerWord.QA_OK, "alice", null, "2300-01-0", "2300-02-0"));
        Ledgers.record(ledger(), named(LedgerWord.REVOKE, "bob", "the index is wrong", "2300-02-0"));
        FastDowntimeWorkflow window = startWindow("fdt-ledger-revoked", inTwoHours());
        // The window counted 2300-01-0 from the ledger; it is revoked while the window waits.
        waitForQa("fdt-ledger-revoked");
        Ledgers.record(ledger(), named(LedgerWord.REVOKE, "bob", "it locks bug for minutes", "2300-01-0"));
        window.ledgerChanged();
        FastDowntimeResult r = result(window);
        assertEquals(Outcome.SKIPPED, r.outcome(), r.toString());
        FastDowntimeStatus status = w.existing("fdt-ledger-revoked").status();
        assertTrue(
                status.signals().stream()
                        .anyMatch(s -> s.signal().equals("revoke")
                                && s.reason().equals("qaOk by alice revoked: it locks bug for minutes")),
                status.signals().toString());
        List<LedgerEntry> entries = ledger().show().entries();
        assertEquals(4, entries.size(), "revocations are kept beside what they revoke");
        assertTrue(entries.stream().filter(e -> e.word() == LedgerWord.QA_OK).allMatch(LedgerEntry::revoked));
        replays("fdt-ledger-revoked");
    }

    @Test
    void whatTheLedgerRefusesLeavesNothingRecorded() throws Exception {
        w.start(true);
        ApprovalLedgerWorkflow ledger = ledger();
        Ledgers.record(ledger, named(LedgerWord.QA_BAD, "bob", "breaks the bug page", "2300-02-0"));
        assertRefused(
                ledger, named(LedgerWord.QA_OK, "mallory", null, "2300-01-0"), "mallory is not a configured approver");
        assertRefused(ledger, named(LedgerWord.QA_OK, "alice", null, "2300-01-0", "2300-02-0"), "rejected by bob");
        assertRefused(ledger, named(LedgerWord.QA_OK, "alice", null, "2300-09-0"), "not a pending patch of test");
        assertRefused(ledger, named(LedgerWord.QA_OK, "alice", null), "nothing selected is never everything");
        assertRefused(ledger, named(LedgerWord.QA_BAD, "alice", null, "2300-01-0"), "needs a reason");
        assertRefused(ledger, named(LedgerWord.REVOKE, "alice", "why not", "2300-01-0"), "nothing to revoke");
        Ledgers.record(ledger, named(LedgerWord.SIGN_OFF, "francis", null, "2300-01-0"));
        assertRefused(ledger, named(LedgerWord.SIGN_OFF, "francis", null, "2300-01-0"), "duplicate");
        assertEquals(2, ledger.show().entries().size(), "only the qaBad and the sign-off: " + ledger.show());
    }

    @Test
    void aRequestGivenBySignalIsRecordedOrRefusedAsTheUpdateIs() throws Exception {
        w.start(true);
        ApprovalLedgerWorkflow ledger = ledger();
        ledger.give(named(LedgerWord.QA_OK, "mallory", null, "2300-01-0"));
        ledger.give(named(LedgerWord.QA_OK, "alice", "from the Web UI", "2300-01-0"));
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (ledger.show().entries().isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the signal was never recorded: " + ledger.show());
            Thread.sleep(50);
        }
        org.fastdowntime.model.LedgerView view = ledger.show();
        assertEquals("alice", view.entries().get(0).by());
        assertEquals(1, view.refused().size(), view.toString());
        assertTrue(
                view.refused()
                        .get(0)
                        .contains("qaOk by mallory refused: 2300-01-0: mallory is not a configured approver"),
                view.refused().toString());
    }

    private static void assertRefused(ApprovalLedgerWorkflow ledger, LedgerRequest r, String why) {
        String reason = refusal(() -> Ledgers.record(ledger, r));
        assertTrue(reason.contains(why), reason);
    }

    static String refusal(Runnable call) {
        return assertThrows(Ledgers.Refused.class, () -> {
                    call.run();
                })
                .getMessage();
    }

    private void waitForQa(String id) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (w.existing(id).status().stage() == org.fastdowntime.model.FastStage.AWAITING_QA) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError(id + " never waited for QA");
    }
}
