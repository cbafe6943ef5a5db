package org.fastdowntime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.fastdowntime.env.ApprovalSettings;
import org.fastdowntime.ledger.SignedVerdicts;
import org.fastdowntime.model.MonthlySignals;
import org.fastdowntime.model.MonthlyStatus;
import org.fastdowntime.model.SignalRecord;
import org.fastdowntime.model.SignedStatement;
import org.fastdowntime.monthly.MonthlyDowntimeWorkflow;
import org.fastdowntime.sign.KeyFileSigner;
import org.fastdowntime.sign.SshSigner;
import org.fastdowntime.testing.OpenSsh;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A monthly downtime of an environment that counts only signed verdicts: a revision's QA-ok counts only signed by the
 * engineer's SSH key (keys made by the real ssh-keygen), verified by the worker against the allowed signers; a
 * forged, misdirected or replayed one is refused, and an unsigned one is kept as refused.
 */
class SignedMonthlyQaTest extends MonthlyWorld {
    @TempDir
    Path keys;

    private SshSigner alice;
    private SshSigner mallory;

    @BeforeEach
    void signed() throws Exception {
        alice = KeyFileSigner.read(keygen("alice"), null);
        mallory = KeyFileSigner.read(keygen("mallory"), null);
        Path allowed = Files.writeString(
                keys.resolve("allowed_signers"), "alice " + Files.readString(keys.resolve("alice.pub")));
        f.environments.put(
                "prod",
                f.environments.get("prod").toBuilder()
                        .approvals(new ApprovalSettings(ApprovalSettings.Require.SIGNED, allowed))
                        .build());
    }

    private SignedStatement signed(SshSigner key, String environment, String revision, Instant at) throws Exception {
        return SignedVerdicts.signText(
                key,
                SignedVerdicts.revisionStatement(environment, revision, "alice", at, null)
                        .text());
    }

    private static String refusal(Runnable update) {
        WorkflowUpdateException e = assertThrows(WorkflowUpdateException.class, update::run);
        return e.getCause() instanceof ApplicationFailure af
                ? af.getOriginalMessage()
                : e.getCause().getMessage();
    }

    @Test
    void onlyASignedQaOkCountsAndForgedMisdirectedOrReplayedOnesAreRefused() throws Exception {
        f.start(null);
        Instant main = f.now().plus(Duration.ofDays(10));
        MonthlyDowntimeWorkflow wf = start("monthly-signed-qa", main, main.plus(Duration.ofDays(2)));
        String r1 = f.revision.get("r1");
        wf.qaOk(new MonthlySignals.Revision(r1, "alice", "unsigned"));

        assertTrue(
                refusal(() -> wf.qaOkSigned(sign(mallory, "prod", r1, f.now()))).contains("is not alice's"));
        assertTrue(refusal(() -> wf.qaOkSigned(sign(alice, "qa", r1, f.now()))).contains("for environment qa"));
        assertTrue(refusal(() -> wf.qaOkSigned(sign(alice, "prod", r1, f.now().minus(Duration.ofHours(1)))))
                .contains("sign a new one"));
        SignedStatement good = sign(alice, "prod", r1, f.now());
        assertEquals("QA-ok of " + r1 + " by alice, signed", wf.qaOkSigned(good));
        assertTrue(refusal(() -> wf.qaOkSigned(good)).contains("replayed"));

        MonthlyStatus status = until(
                wf, "the verdicts", s -> s.signals().stream().anyMatch(v -> v.accepted() && "qaOk".equals(v.signal())));
        SignalRecord unsigned = status.signals().stream()
                .filter(v -> "qaOk".equals(v.signal()) && !v.accepted())
                .findFirst()
                .orElseThrow(() -> new AssertionError(status.signals().toString()));
        assertTrue(unsigned.reason().contains("prod counts only signed QA-oks"), unsigned.reason());
        assertEquals(
                1,
                status.signals().stream()
                        .filter(SignalRecord::accepted)
                        .filter(v -> "qaOk".equals(v.signal()))
                        .count(),
                status.signals().toString());
    }

    private SignedStatement sign(SshSigner key, String environment, String revision, Instant at) {
        try {
            return signed(key, environment, revision, at);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Path keygen(String name) throws Exception {
        return OpenSsh.keygen(keys, name, "ed25519");
    }
}
