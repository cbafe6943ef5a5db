package org.fastdowntime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.fastdowntime.approval.ApprovalLedgerWorkflow;
import org.fastdowntime.env.ApprovalSettings;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.ledger.Ledgers;
import org.fastdowntime.ledger.SignedVerdicts;
import org.fastdowntime.model.ApprovalStatement;
import org.fastdowntime.model.FastDowntimeResult;
import org.fastdowntime.model.LedgerEntry;
import org.fastdowntime.model.LedgerItem;
import org.fastdowntime.model.LedgerRequest;
import org.fastdowntime.model.LedgerView;
import org.fastdowntime.model.LedgerWord;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.sign.KeyFileSigner;
import org.fastdowntime.sign.SshSigner;
import org.fastdowntime.testing.OpenSsh;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An environment that counts only signed verdicts ({@code approvals: {require: signed}}): real keys made by the real
 * ssh-keygen, an allowed-signers file, the real ledger and window. What is forged, replayed, aimed elsewhere, stale or
 * unsigned is refused and leaves nothing recorded; what is recorded verifies with ssh-keygen.
 */
class SignedApprovalsTest extends FastWindowWorld {
    @org.junit.jupiter.api.io.TempDir
    Path keys;

    private SshSigner alice;
    private SshSigner mallory;
    private Path allowed;

    @BeforeEach
    void signers() throws Exception {
        alice = KeyFileSigner.read(keygen("alice"), null);
        mallory = KeyFileSigner.read(keygen("mallory"), null);
        allowed = Files.writeString(
                keys.resolve("allowed_signers"),
                "alice namespaces=\"fastdowntime\" "
                        + Files.readString(keys.resolve("alice.pub")).strip() + "\n" + "francis "
                        + Files.readString(keys.resolve("mallory.pub")).strip() + "\n");
        w.environments.put(
                "test",
                w.environments.get("test").toBuilder()
                        .approvals(new ApprovalSettings(ApprovalSettings.Require.SIGNED, allowed))
                        .build());
        w.start(true);
    }

    private ApprovalLedgerWorkflow ledger() {
        return Ledgers.ensure(w.client(), "test", WindowFixture.QUEUE);
    }

    private String sha(String patch) throws Exception {
        byte[] file = Files.readAllBytes(patches.resolve("patch-" + patch + ".sql"));
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(file));
    }

    private LedgerItem signed(SshSigner key, String env, String patch, String sha, String by, Instant at)
            throws Exception {
        ApprovalStatement s = SignedVerdicts.statement(env, patch, sha, LedgerWord.QA_OK, by, at, null);
        return SignedVerdicts.sign(key, s);
    }

    private static LedgerRequest qaOk(String by, LedgerItem... items) {
        return new LedgerRequest("qaOk", by, null, List.of(items), null);
    }

    @Test
    void aSignedApprovalCountsAndVerifiesWithSshKeygen() throws Exception {
        LedgerItem item = signed(alice, "test", "2300-01-0", sha("2300-01-0"), "alice", w.now());
        List<LedgerEntry> recorded = Ledgers.record(ledger(), qaOk("alice", item));
        assertTrue(recorded.get(0).signed());

        FastDowntimeWorkflow window = startWindow("fdt-signed", inTwoHours("2300-01-0"));
        window.qaOk(ok("2300-01-0", "bob")); // a word sent to the window itself is not signed: refused
        FastDowntimeResult r = WorkflowStub.fromTyped(window).getResult(FastDowntimeResult.class);
        assertEquals(List.of(PatchId.parse("2300-01-0")), r.applied(), r.toString());
        var signals = w.existing("fdt-signed").status().signals();
        assertTrue(
                signals.stream().anyMatch(s -> !s.accepted() && s.reason().contains("counts only signed verdicts")),
                signals.toString());

        LedgerView view = ledger().show();
        assertEquals(1, view.entries().size(), view.toString());
        LedgerEntry kept = view.entries().get(0);
        Path statement = Files.writeString(keys.resolve("statement"), kept.statement());
        Path sig = Files.writeString(keys.resolve("statement.sig"), kept.signature());
        OpenSsh.Result verified = OpenSsh.verify(allowed, "alice", statement, sig);
        assertEquals(0, verified.exit(), verified.out());
    }

    @Test
    void forgedReplayedMisdirectedAndUnsignedApprovalsAreRefusedAndLeaveNothing() throws Exception {
        String sha = sha("2300-01-0");
        Instant now = w.now();
        expectRefused(qaOk("alice", signed(mallory, "test", "2300-01-0", sha, "alice", now)), "is not alice's");
        expectRefused(qaOk("bob", signed(alice, "test", "2300-01-0", sha, "bob", now)), "bob is not in the allowed");
        expectRefused(
                qaOk("alice", signed(alice, "prod", "2300-01-0", sha, "alice", now)), "for environment prod, not test");
        expectRefused(
                qaOk("alice", signed(alice, "test", "2300-01-0", "0".repeat(64), "alice", now)),
                "is now " + sha.substring(0, 12));
        expectRefused(
                qaOk("alice", signed(alice, "test", "2300-01-0", sha, "alice", now.minus(Duration.ofMinutes(20)))),
                "sign a new one");
        expectRefused(
                new LedgerRequest("qaOk", "alice", null, List.of(new LedgerItem("2300-01-0", null, null, null)), null),
                "records only signed verdicts");
        LedgerItem good = signed(alice, "test", "2300-01-0", sha, "alice", now);
        LedgerItem tampered = new LedgerItem(
                "2300-02-0", good.sha256(), good.statement().replace("2300-01-0", "2300-02-0"), good.signature());
        expectRefused(qaOk("alice", tampered), "does not match the statement");
        assertTrue(ledger().show().entries().isEmpty(), "nothing recorded: " + ledger().show());

        Ledgers.record(ledger(), qaOk("alice", good));
        Ledgers.record(ledger(), new LedgerRequest("revoke", "alice", "wrong file", List.of(signedRevoke(sha)), null));
        expectRefused(qaOk("alice", good), "replayed");
        assertEquals(2, ledger().show().entries().size(), "the approval and its revocation, not the replay");
    }

    private LedgerItem signedRevoke(String sha) throws Exception {
        return SignedVerdicts.sign(
                alice,
                SignedVerdicts.statement("test", "2300-01-0", sha, LedgerWord.REVOKE, "alice", w.now(), "wrong file"));
    }

    private void expectRefused(LedgerRequest r, String why) {
        String reason = ApprovalLedgerTest.refusal(() -> Ledgers.record(ledger(), r));
        assertTrue(reason.contains(why), reason);
        assertFalse(reason.isBlank());
    }

    private Path keygen(String name) throws Exception {
        return OpenSsh.keygen(keys, name, "ed25519");
    }
}
