package org.fastdowntime.sign;

import java.security.PublicKey;

/** Something that holds an SSH private key and signs with it: a key file, or an ssh-agent. */
public interface SshSigner {
    /** The public half, which the signature carries and the allowed-signers file names. */
    PublicKey publicKey();

    /**
     * Signs {@code data}; returns the SSH signature blob ({@code string algorithm, string signature}), with RSA keys
     * as {@code rsa-sha2-512}.
     */
    byte[] sign(byte[] data) throws SigningException;

    /** Where the key is, for messages ("agent key SHA256:…", "key file ~/.ssh/id_ed25519"). */
    String describe();
}
