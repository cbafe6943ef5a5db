package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fastdowntime.activity.Json;
import org.fastdowntime.testing.OpenSsh;
import org.junit.jupiter.api.Test;

/**
 * Signed approvals from the command line, against the real server and a worker whose environment counts only signed
 * verdicts: a key the real ssh-keygen made signs, the ledger verifies, and its export verifies with ssh-keygen.
 */
class SignedApprovalCommandsTest extends RealServerClients {
    private Path key;
    private Path allowed;

    @Override
    TestWorkerYaml config(TestWorkerYaml yaml) throws Exception {
        key = OpenSsh.keygen(dir, "alice_ed25519", "ed25519");
        allowed = Files.writeString(
                dir.resolve("allowed_signers"),
                "alice namespaces=\"fastdowntime\" " + Files.readString(Path.of(key + ".pub")));
        return yaml.environmentLines("approvals:\n  require: signed\n  allowedSigners: " + allowed + "\n");
    }

    @Test
    void aSignedApprovalIsRecordedShownAndExportedForSshKeygen() throws Exception {
        Path folder = dir.resolve("patches");
        String[] approve = {
            "approve",
            "--environment",
            "prod",
            "--by",
            "alice",
            "--patch",
            "2300-01-0",
            "--patch",
            "2300-02-0",
            "--patches",
            folder.toString()
        };
        Run unsigned = run(true, approve);
        assertEquals(44, unsigned.exit(), unsigned.out());
        assertTrue(unsigned.out().contains("prod records only signed verdicts"), unsigned.out());

        Run printed = run(true, with(approve, "--sign", "--key", key.toString(), "--print-json"));
        assertEquals(0, printed.exit(), printed.out());
        JsonNode payload =
                Json.mapper().readTree(printed.out().substring(printed.out().indexOf('{')));
        assertTrue(
                payload.get("items").get(0).get("signature").asText().startsWith("-----BEGIN SSH SIGNATURE-----"),
                payload.toString());

        Run signed = run(false, with(approve, "--sign", "--key", key.toString()));
        assertEquals(0, signed.exit(), signed.out());
        assertTrue(signed.out().contains("qaOk 2300-02-0"), signed.out());
        assertTrue(signed.out().contains("recorded in the approval ledger of prod, signed"), signed.out());

        Run show = run(true, "approvals", "show", "--environment", "prod");
        assertEquals(0, show.exit(), show.out());
        assertTrue(show.out().contains("2 verdict(s)"), show.out());

        Run revoke = run(
                true,
                "approvals",
                "revoke",
                "--environment",
                "prod",
                "--patch",
                "2300-02-0",
                "--by",
                "alice",
                "--reason",
                "wrong index",
                "--sign",
                "--key",
                key.toString());
        assertEquals(0, revoke.exit(), revoke.out());

        Path out = dir.resolve("export");
        Run export = run(false, "approvals", "export", "--environment", "prod", "--out", out.toString());
        assertEquals(0, export.exit(), export.out());
        assertTrue(export.out().contains("Exported 3 signed statement(s)"), export.out());
        try (var files = Files.list(out)) {
            for (Path sig : files.filter(f -> f.toString().endsWith(".sig")).toList()) {
                Path statement = Path.of(sig.toString().replaceAll("\\.sig$", ".statement"));
                OpenSsh.Result verified = OpenSsh.verify(allowed, "alice", statement, sig);
                assertEquals(0, verified.exit(), sig + ": " + verified.out());
            }
        }
    }

    private static String[] with(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }
}
