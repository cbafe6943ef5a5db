package org.fastdowntime.sign;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Base64;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * An OpenSSH {@code SSHSIG} signature (OpenSSH's PROTOCOL.sshsig): the signer's public key, a namespace, and a
 * signature over the SHA-512 of a message, armored as {@code -----BEGIN SSH SIGNATURE-----}. What {@code ssh-keygen
 * -Y sign -n NAMESPACE} writes and {@code ssh-keygen -Y verify} reads; git signs commits the same way.
 */
public final class SshSignature {
    /** The namespace of every approval signature: a signature made for git or a file is not an approval. */
    public static final String NAMESPACE = "fastdowntime";

    private static final byte[] MAGIC = "SSHSIG".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final String HASH = "sha512";
    private static final String BEGIN = "-----BEGIN SSH SIGNATURE-----";
    private static final String END = "-----END SSH SIGNATURE-----";

    private final PublicKey key;
    private final String namespace;
    private final String hashAlgorithm;
    private final String algorithm;
    private final byte[] blob;

    private SshSignature(PublicKey key, String namespace, String hashAlgorithm, String algorithm, byte[] blob) {
        this.key = key;
        this.namespace = namespace;
        this.hashAlgorithm = hashAlgorithm;
        this.algorithm = algorithm;
        this.blob = blob;
    }

    /** Signs {@code message} in {@code namespace} with {@code signer}'s key. */
    public static SshSignature sign(SshSigner signer, String namespace, byte[] message) throws SigningException {
        byte[] blob = signer.sign(signedData(namespace, HASH, message));
        return new SshSignature(signer.publicKey(), namespace, HASH, new ByteArrayBuffer(blob).getString(), blob);
    }

    /** Reads an armored signature; refuses what is not one, with why. */
    public static SshSignature parse(String armored) throws SigningException {
        if (armored == null) {
            throw new SigningException("no signature");
        }
        String text = armored.strip();
        if (!text.startsWith(BEGIN) || !text.endsWith(END)) {
            throw new SigningException("not an SSH signature (it must start with " + BEGIN + ")");
        }
        byte[] raw;
        try {
            raw = Base64.getMimeDecoder().decode(text.substring(BEGIN.length(), text.length() - END.length()));
        } catch (IllegalArgumentException e) {
            throw new SigningException("the SSH signature is not base64: " + e.getMessage());
        }
        try {
            Buffer b = new ByteArrayBuffer(raw);
            byte[] magic = new byte[MAGIC.length];
            b.getRawBytes(magic);
            if (!MessageDigest.isEqual(magic, MAGIC)) {
                throw new SigningException("not an SSHSIG signature (bad preamble)");
            }
            int version = b.getInt();
            if (version != VERSION) {
                throw new SigningException("SSHSIG version " + version + " (only " + VERSION + " is known)");
            }
            PublicKey key = new ByteArrayBuffer(b.getBytes()).getRawPublicKey();
            String namespace = b.getString();
            b.getString(); // reserved
            String hash = b.getString();
            byte[] blob = b.getBytes();
            if (b.available() != 0) {
                throw new SigningException("the SSH signature has trailing bytes");
            }
            String algorithm = new ByteArrayBuffer(blob).getString();
            return new SshSignature(key, namespace, hash, algorithm, blob);
        } catch (SigningException e) {
            throw e;
        } catch (RuntimeException | org.apache.sshd.common.SshException e) {
            throw new SigningException("the SSH signature is malformed: " + e.getMessage(), e);
        }
    }

    /**
     * Null if this is a valid signature of {@code message} in {@code namespace}, else why not (wrong namespace, a
     * SHA-1 RSA signature, a signature that does not match).
     */
    public String problem(byte[] message, String expectedNamespace) {
        if (!expectedNamespace.equals(namespace)) {
            return "signed for namespace \"" + namespace + "\", not \"" + expectedNamespace + "\"";
        }
        if (!HASH.equals(hashAlgorithm) && !"sha256".equals(hashAlgorithm)) {
            return "unknown hash algorithm " + hashAlgorithm;
        }
        if ("ssh-rsa".equals(algorithm)) {
            return "an RSA signature with SHA-1 (ssh-rsa) is refused: sign with rsa-sha2-512";
        }
        BuiltinSignatures factory = BuiltinSignatures.fromFactoryName(algorithm);
        if (factory == null || !factory.isSupported()) {
            return "unsupported signature algorithm " + algorithm;
        }
        try {
            Signature verifier = factory.create();
            verifier.initVerifier(null, key);
            verifier.update(null, signedData(namespace, hashAlgorithm, message));
            return verifier.verify(null, blob) ? null : "the signature does not match the statement";
        } catch (Exception e) {
            return "the signature cannot be checked: " + e.getMessage();
        }
    }

    /** The armored text, wrapped at 70 columns like ssh-keygen's. */
    public String armored() {
        ByteArrayBuffer b = new ByteArrayBuffer();
        b.putRawBytes(MAGIC);
        b.putInt(VERSION);
        b.putBytes(publicKeyBlob(key));
        b.putString(namespace);
        b.putString("");
        b.putString(hashAlgorithm);
        b.putBytes(blob);
        String base64 = Base64.getEncoder().encodeToString(b.getCompactData());
        StringBuilder out = new StringBuilder(BEGIN).append('\n');
        for (int i = 0; i < base64.length(); i += 70) {
            out.append(base64, i, Math.min(base64.length(), i + 70)).append('\n');
        }
        return out.append(END).append('\n').toString();
    }

    public PublicKey key() {
        return key;
    }

    /** The key's SHA256 fingerprint, as {@code ssh-keygen -l} shows it. */
    public String fingerprint() {
        return KeyUtils.getFingerPrint(key);
    }

    /** The SSH wire form of a public key. */
    static byte[] publicKeyBlob(PublicKey key) {
        ByteArrayBuffer b = new ByteArrayBuffer();
        b.putRawPublicKey(key);
        return b.getCompactData();
    }

    /** What is signed: the preamble, namespace, reserved, hash algorithm and the message's hash. */
    private static byte[] signedData(String namespace, String hashAlgorithm, byte[] message) {
        ByteArrayBuffer b = new ByteArrayBuffer();
        b.putRawBytes(MAGIC);
        b.putString(namespace);
        b.putString("");
        b.putString(hashAlgorithm);
        b.putBytes(digest(hashAlgorithm, message));
        return b.getCompactData();
    }

    private static byte[] digest(String hashAlgorithm, byte[] message) {
        try {
            return MessageDigest.getInstance("sha256".equals(hashAlgorithm) ? "SHA-256" : "SHA-512")
                    .digest(message);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
