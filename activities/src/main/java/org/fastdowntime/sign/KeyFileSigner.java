package org.fastdowntime.sign;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Iterator;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * A private key read from an OpenSSH key file ({@code ssh-keygen}'s own format or PEM; encrypted ones with a
 * passphrase). It signs in this process; nothing of it is sent anywhere.
 */
public final class KeyFileSigner implements SshSigner {
    /** The RSA key type, which signs with SHA-512 here, never SHA-1. */
    static final String RSA = "ssh-rsa";

    private final Path file;
    private final KeyPair pair;

    private KeyFileSigner(Path file, KeyPair pair) {
        this.file = file;
        this.pair = pair;
    }

    /**
     * Reads {@code file}; {@code passphrase} is asked only if the key is encrypted (null: refuse an encrypted key
     * with a message that says to use an agent or give the passphrase).
     */
    public static KeyFileSigner read(Path file, FilePasswordProvider passphrase) throws SigningException {
        if (!Files.isRegularFile(file)) {
            throw new SigningException("no key file " + file);
        }
        FilePasswordProvider provider = passphrase != null ? passphrase : FilePasswordProvider.of(null);
        try (InputStream in = Files.newInputStream(file)) {
            Iterable<KeyPair> pairs =
                    SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()), in, provider);
            Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
            if (it == null || !it.hasNext()) {
                throw new SigningException(file + " holds no private key (give the private key, not the .pub)");
            }
            return new KeyFileSigner(file, it.next());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new SigningException(
                    "cannot read the private key " + file + ": " + why
                            + (passphrase == null
                                    ? " (an encrypted key needs its passphrase, or load it into ssh-agent)"
                                    : ""),
                    e);
        }
    }

    @Override
    public PublicKey publicKey() {
        return pair.getPublic();
    }

    @Override
    public byte[] sign(byte[] data) throws SigningException {
        String algorithm = algorithm(pair.getPublic());
        BuiltinSignatures factory = BuiltinSignatures.fromFactoryName(algorithm);
        if (factory == null || !factory.isSupported()) {
            throw new SigningException("cannot sign with a " + KeyUtils.getKeyType(pair.getPublic()) + " key");
        }
        try {
            Signature signer = factory.create();
            signer.initSigner(null, pair.getPrivate());
            signer.update(null, data);
            ByteArrayBuffer blob = new ByteArrayBuffer();
            blob.putString(algorithm);
            blob.putBytes(signer.sign(null));
            return blob.getCompactData();
        } catch (Exception e) {
            throw new SigningException("signing with " + file + " failed: " + e.getMessage(), e);
        }
    }

    /** The signature algorithm for a key: its own type, except RSA, which signs with SHA-512 (never SHA-1). */
    static String algorithm(PublicKey key) {
        String type = KeyUtils.getKeyType(key);
        return RSA.equals(type) ? "rsa-sha2-512" : type;
    }

    @Override
    public String describe() {
        return "key file " + file + " (" + KeyUtils.getFingerPrint(pair.getPublic()) + ")";
    }
}
