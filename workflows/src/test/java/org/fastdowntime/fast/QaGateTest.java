package org.fastdowntime.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fastdowntime.downtime.Verdicts;
import org.fastdowntime.model.AbortSignal;
import org.fastdowntime.model.EnvironmentPolicy;
import org.fastdowntime.model.FastStage;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchKind;
import org.fastdowntime.model.PatchTiming;
import org.fastdowntime.model.QaSignal;
import org.fastdowntime.model.QaState;
import org.fastdowntime.model.QaWord;
import org.fastdowntime.model.SignalRecord;
import org.fastdowntime.model.TestPolicies;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A fast window's QA gate alone: who may approve, sign-offs, the author rule, the inbox, deferral. */
@Tag("unit")
class QaGateTest {
    static final EnvironmentPolicy POLICY = TestPolicies.production();

    final List<String> timeline = new ArrayList<>();
    final Verdicts verdicts = new Verdicts(
            () -> Instant.parse("2026-12-01T07:00:00Z"), timeline::add, LoggerFactory.getLogger(QaGateTest.class));
    FastStage stage = FastStage.AWAITING_QA;
    final QaGate gate = new QaGate(verdicts, () -> stage, new QaRules(() -> true, () -> true, () -> true));

    static PatchCandidate patch(String id, String author) {
        return new PatchCandidate(PatchId.parse(id), "patch-" + id + ".sql", "sha-" + id, PatchKind.COLD, null, author);
    }

    SignalRecord last() {
        List<SignalRecord> all = verdicts.all();
        return all.get(all.size() - 1);
    }

    @Test
    void signalsWaitForTheCandidatesThenAreJudgedInArrivalOrder() {
        gate.receive(QaWord.QA_OK, new QaSignal("2300-01-0", "alice", null, null));
        gate.receive(QaWord.QA_OK, new QaSignal("2300-01-0", "mallory", null, null));
        assertTrue(verdicts.all().isEmpty(), "held until the candidates are known");
        gate.candidates(List.of(patch("2300-01-0", "Carol <carol@example.com>")));
        gate.open(POLICY);
        assertEquals(2, verdicts.all().size());
        assertTrue(verdicts.all().get(0).accepted());
        assertEquals(
                "mallory is not a configured approver", verdicts.all().get(1).reason());
        assertTrue(gate.allDecided());
        assertEquals(List.of("qaOk from alice for 2300-01-0: approved."), timeline);
    }

    @Test
    void thePatchesPastTheWindowsTotalNeedASignOffInOrder() {
        gate.candidates(List.of(patch("2300-01-0", null), patch("2300-02-0", null), patch("2300-03-0", null)));
        for (String id : List.of("2300-01-0", "2300-02-0", "2300-03-0")) {
            gate.timed(new PatchTiming(PatchId.parse(id), "patch-" + id + ".sql", "sha", 6, false));
        }
        assertEquals(18.0, gate.stagingTotal(), 1e-9);
        assertEquals(List.of(PatchId.parse("2300-03-0")), gate.overTotal(java.time.Duration.ofSeconds(15)));
        assertEquals(List.of(), gate.overTotal(java.time.Duration.ofSeconds(15)), "marked once");
        gate.open(POLICY);
        gate.receive(QaWord.QA_OK, QaSignal.of(List.of("2300-01-0", "2300-02-0", "2300-03-0"), "alice", null, null));
        assertEquals("QA-ok; waiting for a sign-off (over budget)", last().reason());
        QaGate.Decision d = gate.close();
        assertEquals(List.of(PatchId.parse("2300-03-0")), d.deferred());
        assertEquals(
                "over the window's total: 18.0 s on staging with this patch, of 15.0 s",
                gate.view().get(2).note());
    }

    @Test
    void anOverBudgetPatchNeedsASignOffAndItsAuthorCannotApproveIt() {
        gate.candidates(List.of(patch("2300-01-0", "Alice <alice@example.com>"), patch("2300-02-0", "Carol")));
        gate.timed(new PatchTiming(PatchId.parse("2300-02-0"), "patch-2300-02-0.sql", "sha", 20, true));
        gate.open(POLICY);
        gate.receive(QaWord.QA_OK, new QaSignal("2300-01-0", "alice", null, null));
        assertEquals("alice wrote 2300-01-0 (Alice <alice@example.com>) and cannot approve it", last().reason());
        gate.receive(QaWord.QA_OK, new QaSignal("2300-02-0", "bob", null, null));
        assertEquals("QA-ok; waiting for a sign-off (over budget)", last().reason());
        gate.receive(QaWord.SIGN_OFF, new QaSignal("2300-02-0", "bob", null, null));
        assertEquals("bob is not a configured sign-off approver", last().reason());
        gate.receive(QaWord.SIGN_OFF, new QaSignal("2300-02-0", "francis", null, null));
        assertEquals("signed off", last().reason());

        QaGate.Decision d = gate.close();
        assertEquals(
                List.of(PatchId.parse("2300-02-0")),
                d.approved().stream().map(PatchCandidate::id).toList());
        assertEquals(List.of(PatchId.parse("2300-01-0")), d.deferred());
        assertEquals(QaState.DEFERRED, gate.view().get(0).state());
    }

    @Test
    void aQaBadNeedsAReasonAndQaClosesWithTheWindow() {
        gate.candidates(List.of(patch("2300-01-0", "Carol")));
        gate.open(POLICY);
        gate.receive(QaWord.QA_BAD, new QaSignal("2300-01-0", "alice", "hmm", null));
        assertFalse(last().accepted());
        assertTrue(last().reason().contains("needs a \"reason\""), last().reason());
        gate.receive(QaWord.QA_BAD, new QaSignal("2300-01-0", "alice", null, "slow on qastaging"));
        assertEquals(QaState.REJECTED, gate.view().get(0).state());
        gate.close();
        gate.receive(QaWord.QA_OK, new QaSignal("2300-01-0", "bob", null, null));
        assertEquals("QA for this window is closed (stage AWAITING_QA)", last().reason());
    }

    @Test
    void oneSignalNamesSeveralPatchesAndEachGetsItsOwnVerdict() {
        gate.candidates(List.of(
                patch("2300-01-0", "Carol"),
                patch("2300-02-0", "Alice <alice@example.com>"),
                patch("2300-04-0", "Carol")));
        gate.open(POLICY);
        QaSignal three = QaSignal.of(List.of("2300-01-0", "2300-02-0", "2300-09-0"), "alice", "all checked", null);
        assertEquals(
                java.util.Arrays.asList(
                        null,
                        "alice wrote 2300-02-0 (Alice <alice@example.com>) and cannot approve it",
                        "2300-09-0 is not a candidate of this window"),
                gate.problems(QaWord.QA_OK, three),
                "what an update's validator is told, before anything changes");
        assertTrue(verdicts.all().isEmpty(), "asking judges nothing");
        gate.receive(QaWord.QA_OK, three);
        assertEquals(3, verdicts.all().size());
        assertEquals(
                List.of(true, false, false),
                verdicts.all().stream().map(SignalRecord::accepted).toList());
        assertEquals(QaState.APPROVED, gate.view().get(0).state());
        assertEquals(QaState.WAITING, gate.view().get(1).state());
        assertFalse(gate.allDecided());
        gate.receive(QaWord.QA_OK, new QaSignal("2300-04-0", "bob", null, null, List.of("2300-02-0")));
        assertTrue(gate.allDecided(), "\"patch\" and \"patches\" together");
    }

    @Test
    void beforeTheListRuleASignalWithPatchesIsJudgedAsOne() {
        QaGate old = new QaGate(verdicts, () -> stage, new QaRules(() -> true, () -> false, () -> true));
        old.candidates(List.of(patch("2300-01-0", "Carol")));
        old.open(POLICY);
        old.receive(QaWord.QA_OK, QaSignal.of(List.of("2300-01-0"), "alice", null, null));
        assertEquals(1, verdicts.all().size());
        assertEquals("the payload needs \"patch\" and \"by\"", last().reason());
    }

    @Test
    void anAbortIsJudgedOnceAndHeldSignalsAreKeptWhenTheWindowEndsFirst() {
        gate.receiveAbort(new AbortSignal("replication lag", "francis"));
        gate.closeUnjudged("the window ended before it could judge signals (unknown environment)");
        assertEquals(
                "the window ended before it could judge signals (unknown environment)",
                verdicts.all().get(0).reason());
        QaGate other = new QaGate(verdicts, () -> stage, new QaRules(() -> true, () -> true, () -> true));
        other.candidates(List.of(patch("2300-01-0", "Carol")));
        other.open(POLICY);
        other.receiveAbort(new AbortSignal("replication lag", "francis"));
        other.receiveAbort(new AbortSignal("again", "alice"));
        assertEquals("francis", other.abort().by());
        assertEquals("duplicate: already aborted by francis", last().reason());
        stage = FastStage.DONE;
        other.receiveAbort(new AbortSignal("late", "bob"));
        assertEquals("the window has already ended (stage DONE)", last().reason());
    }

    /** Francis may both QA-ok and sign off, but not the same patch. */
    static final EnvironmentPolicy BOTH = people(List.of("alice", "bob", "francis"), List.of("francis"));

    /** The shared policy with other approvers and sign-off approvers. */
    static EnvironmentPolicy people(List<String> approvers, List<String> signOff) {
        return new EnvironmentPolicy(
                POLICY.environment(),
                approvers,
                signOff,
                POLICY.stagingConfigured(),
                POLICY.perPatchBudget(),
                POLICY.outageBudget(),
                POLICY.qaLead(),
                POLICY.quiesceLead(),
                POLICY.heartbeatTimeout(),
                POLICY.preflightLead(),
                POLICY.armLead(),
                POLICY.stagingTotal(),
                POLICY.signedApprovals());
    }

    @Test
    void aRejectionStandsAndQaOkAndSignOffNeedTwoPeople() {
        gate.candidates(List.of(patch("2300-01-0", "Carol"), patch("2300-02-0", "Carol"), patch("2300-03-0", "Carol")));
        gate.timed(new PatchTiming(PatchId.parse("2300-02-0"), "patch-2300-02-0.sql", "sha", 20, true));
        gate.timed(new PatchTiming(PatchId.parse("2300-03-0"), "patch-2300-03-0.sql", "sha", 20, true));
        gate.open(BOTH);
        gate.receive(QaWord.QA_BAD, new QaSignal("2300-01-0", "alice", null, "slow on qastaging"));
        gate.receive(QaWord.QA_OK, new QaSignal("2300-01-0", "bob", null, null));
        assertEquals(
                "2300-01-0 was rejected by alice: a rejected patch stays out of this window (fix it in a new patch)",
                last().reason());
        assertEquals(QaState.REJECTED, gate.view().get(0).state(), "a later qaOk does not override a qaBad");

        gate.receive(QaWord.QA_OK, new QaSignal("2300-02-0", "francis", null, null));
        gate.receive(QaWord.SIGN_OFF, new QaSignal("2300-02-0", "francis", null, null));
        assertEquals("francis gave 2300-02-0 its QA-ok: its sign-off needs another person", last().reason());
        assertEquals(QaState.NEEDS_SIGN_OFF, gate.view().get(1).state());

        gate.receive(QaWord.SIGN_OFF, new QaSignal("2300-03-0", "francis", null, null));
        gate.receive(QaWord.QA_OK, new QaSignal("2300-03-0", "francis", null, null));
        assertEquals("francis signed 2300-03-0 off: its QA-ok needs another person", last().reason());
        gate.receive(QaWord.QA_OK, new QaSignal("2300-03-0", "bob", null, null));
        assertEquals(QaState.APPROVED, gate.view().get(2).state(), "two people: approved");
    }

    @Test
    void aSignalNamingTooManyPatchesIsRefusedWithOneVerdict() {
        gate.candidates(List.of(patch("2300-01-0", "Carol")));
        gate.open(POLICY);
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            many.add("2300-01-0");
        }
        gate.receive(QaWord.QA_OK, QaSignal.of(many, "alice", null, null));
        assertEquals(1, verdicts.all().size(), "one verdict, not 100 000");
        assertEquals("a signal names at most 200 patches; send them in several", last().reason());
        assertEquals(QaState.WAITING, gate.view().get(0).state());
    }

    @Test
    void aNameWithANewlineCannotForgeALineOfTheTimeline() {
        gate.candidates(List.of(patch("2300-01-0", "Carol")));
        gate.open(people(List.of("alice\n[OUTAGE] Outage complete."), List.of()));
        gate.receive(QaWord.QA_OK, new QaSignal("2300-01-0", "alice\n[OUTAGE] Outage complete.", null, null));
        assertEquals(List.of("qaOk from alice\\u000a[OUTAGE] Outage complete. for 2300-01-0: approved."), timeline);
    }
}
