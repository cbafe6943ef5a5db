package org.fastdowntime.cli;

import java.io.Console;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.sign.AgentSigner;
import org.fastdowntime.sign.KeyFileSigner;
import org.fastdowntime.sign.SigningException;
import org.fastdowntime.sign.SshSigner;

/**
 * The person's SSH key, found as git finds its signing key: {@code --key FILE} (a private key, or a public one whose
 * private half an ssh-agent holds), else the agent's first key, else {@code ~/.ssh/id_ed25519}, {@code id_ecdsa} or
 * {@code id_rsa}. An agent signs by itself; a key file signs in this process. The key never leaves this machine.
 */
final class SigningKey {
    private static final List<String> DEFAULTS = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    private SigningKey() {}

    static SshSigner find(Path key) {
        String sock = System.getenv("SSH_AUTH_SOCK");
        Path agent = sock == null || sock.isBlank() ? null : Path.of(sock);
        try {
            if (key != null) {
                return fromFile(key, agent);
            }
            if (agent != null && Files.exists(agent)) {
                List<AgentSigner> keys = AgentSigner.keys(agent);
                if (!keys.isEmpty()) {
                    return keys.get(0);
                }
            }
            Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
            for (String name : DEFAULTS) {
                if (Files.isRegularFile(ssh.resolve(name))) {
                    return fromFile(ssh.resolve(name), agent);
                }
            }
        } catch (SigningException e) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--sign: " + e.getMessage());
        }
        throw new CommandFailure(
                ProblemType.BAD_ARGUMENTS,
                "--sign: no SSH key: give --key FILE, load one into ssh-agent, or create ~/.ssh/id_ed25519");
    }

    /** A key file: its agent-held private half when an agent holds it, else the file itself. */
    private static SshSigner fromFile(Path key, Path agent) throws SigningException {
        Path pub = key.toString().endsWith(".pub") ? key : Path.of(key + ".pub");
        if (agent != null && Files.exists(agent) && Files.isRegularFile(pub)) {
            AgentSigner held = AgentSigner.holding(agent, publicKey(pub));
            if (held != null) {
                return held;
            }
        }
        if (key.toString().endsWith(".pub")) {
            throw new SigningException("no ssh-agent holds the private key of " + key);
        }
        Console console = System.console();
        // Asked only for an encrypted key, and only at a terminal; elsewhere such a key wants an agent.
        FilePasswordProvider passphrase = console == null
                ? null
                : (session, resource, retry) -> new String(console.readPassword("Passphrase for %s: ", key));
        return KeyFileSigner.read(key, passphrase);
    }

    private static PublicKey publicKey(Path pub) throws SigningException {
        try {
            return PublicKeyEntry.parsePublicKeyEntry(Files.readString(pub).strip())
                    .resolvePublicKey(null, java.util.Map.of(), PublicKeyEntryResolver.FAILING);
        } catch (Exception e) {
            throw new SigningException("cannot read the public key " + pub + ": " + e.getMessage(), e);
        }
    }
}
