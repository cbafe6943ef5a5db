package org.fastdowntime.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.fastdowntime.testing.OpenSsh;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our SSHSIG signatures against the real OpenSSH: keys ssh-keygen made sign for us, and each side verifies the other's. */
class SshSignatureTest {
    private static final byte[] MESSAGE =
            "fastdowntime approval v1\npatch: 2211-30-0\n".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-12-06T08:00:00Z");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa", "rsa"})
    void ourSignaturesVerifyWithSshKeygenAndTheirsWithUs(String type) throws Exception {
        Path key = keygen(type, "alice");
        Path allowed = allowedSigners("alice", key, null);

        SshSignature ours = SshSignature.sign(KeyFileSigner.read(key, null), SshSignature.NAMESPACE, MESSAGE);
        Path message = Files.write(dir.resolve("statement"), MESSAGE);
        Path sig = Files.writeString(dir.resolve("statement.sig"), ours.armored());
        assertEquals(
                0,
                OpenSsh.verify(allowed, "alice", message, sig).exit(),
                "ssh-keygen -Y verify accepts our " + type + " signature");

        Files.delete(sig);
        assertEquals(
                0,
                OpenSsh.run(
                                null,
                                "ssh-keygen",
                                "-Y",
                                "sign",
                                "-f",
                                key.toString(),
                                "-n",
                                SshSignature.NAMESPACE,
                                message.toString())
                        .exit());
        SshSignature theirs = SshSignature.parse(Files.readString(sig));
        assertNull(theirs.problem(MESSAGE, SshSignature.NAMESPACE), "ssh-keygen's signature verifies here");
        assertNull(AllowedSigners.read(allowed).problem("alice", SshSignature.NAMESPACE, theirs.key(), NOW));

        byte[] tampered = "fastdowntime approval v1\npatch: 2211-31-0\n".getBytes(StandardCharsets.UTF_8);
        assertEquals("the signature does not match the statement", theirs.problem(tampered, SshSignature.NAMESPACE));
        assertEquals("the signature does not match the statement", ours.problem(tampered, SshSignature.NAMESPACE));
    }

    @Test
    void aSignatureForAnotherNamespaceIsNotAnApproval() throws Exception {
        Path key = keygen("ed25519", "alice");
        SshSignature git = SshSignature.sign(KeyFileSigner.read(key, null), "git", MESSAGE);
        assertEquals(
                "signed for namespace \"git\", not \"fastdowntime\"", git.problem(MESSAGE, SshSignature.NAMESPACE));
    }

    @Test
    void theAllowedSignersDecideWhoseKeyItIs() throws Exception {
        Path alice = keygen("ed25519", "alice");
        Path mallory = keygen("ed25519", "mallory");
        AllowedSigners signers = AllowedSigners.read(allowedSigners("alice", alice, null));
        var aliceKey = KeyFileSigner.read(alice, null).publicKey();
        var malloryKey = KeyFileSigner.read(mallory, null).publicKey();

        assertNull(signers.problem("alice", SshSignature.NAMESPACE, aliceKey, NOW));
        assertTrue(signers.problem("alice", SshSignature.NAMESPACE, malloryKey, NOW)
                .contains("is not alice's"));
        assertTrue(signers.problem("bob", SshSignature.NAMESPACE, aliceKey, NOW).contains("bob is not in the allowed"));

        AllowedSigners gitOnly = AllowedSigners.read(allowedSigners("alice", alice, "namespaces=\"git\""));
        assertTrue(
                gitOnly.problem("alice", SshSignature.NAMESPACE, aliceKey, NOW).contains("namespace fastdowntime"));
        AllowedSigners expired = AllowedSigners.read(allowedSigners("alice", alice, "valid-before=\"20261201\""));
        assertTrue(
                expired.problem("alice", SshSignature.NAMESPACE, aliceKey, NOW).contains("valid only before"));
        AllowedSigners patterns =
                AllowedSigners.read(allowedSigners("*@example.org,alice", alice, "namespaces=\"git,fastdowntime\""));
        assertNull(patterns.problem("alice", SshSignature.NAMESPACE, aliceKey, NOW));
        assertNull(patterns.problem("carol@example.org", SshSignature.NAMESPACE, aliceKey, NOW));
    }

    @Test
    void aBadLineIsNamedByItsNumber() throws Exception {
        SigningException e = assertThrows(
                SigningException.class,
                () -> AllowedSigners.parse("signers", "# people\nalice ssh-ed25519 not-base64!\n"));
        assertTrue(e.getMessage().startsWith("signers:2: not an allowed signer"), e.getMessage());
    }

    @Test
    void anAgentSignsWithoutTheKeyLeavingIt() throws Exception {
        Path key = keygen("rsa", "alice");
        Path allowed = allowedSigners("alice", key, null);
        Path socket = dir.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile())
                .start();
        try {
            for (int i = 0; i < 100 && !Files.exists(socket); i++) {
                Thread.sleep(50);
            }
            ProcessBuilder add = new ProcessBuilder("ssh-add", key.toString()).redirectErrorStream(true);
            add.environment().put("SSH_AUTH_SOCK", socket.toString());
            assertEquals(0, add.start().waitFor());

            AgentSigner signer =
                    AgentSigner.holding(socket, KeyFileSigner.read(key, null).publicKey());
            assertNotNull(signer, "the agent holds the key ssh-add gave it");
            SshSignature sig = SshSignature.sign(signer, SshSignature.NAMESPACE, MESSAGE);
            Path message = Files.write(dir.resolve("statement"), MESSAGE);
            Path file = Files.writeString(dir.resolve("agent.sig"), sig.armored());
            assertEquals(
                    0,
                    OpenSsh.verify(allowed, "alice", message, file).exit(),
                    "an agent's rsa-sha2-512 signature verifies");
            assertNull(sig.problem(MESSAGE, SshSignature.NAMESPACE));
        } finally {
            agent.destroy();
            agent.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void notASignatureSaysSo() {
        assertTrue(assertThrows(SigningException.class, () -> SshSignature.parse("hello"))
                .getMessage()
                .contains("not an SSH signature"));
        assertTrue(assertThrows(
                        SigningException.class,
                        () -> SshSignature.parse(
                                "-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----"))
                .getMessage()
                .contains("malformed"));
    }

    private Path keygen(String type, String comment) throws Exception {
        return OpenSsh.keygen(dir, comment + "-" + type, type);
    }

    private Path allowedSigners(String principal, Path key, String options) throws IOException {
        String pub = OpenSsh.publicKey(key);
        return Files.writeString(
                dir.resolve("allowed_signers"),
                "# who may approve\n" + principal + (options == null ? "" : " " + options) + " " + pub + "\n");
    }
}
