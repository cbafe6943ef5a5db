package org.fastdowntime.sign;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * A key held by an ssh-agent ({@code SSH_AUTH_SOCK}), which signs for us: the private key never reaches this
 * process. The agent protocol's two requests we need (draft-miller-ssh-agent): list the identities, sign.
 */
public final class AgentSigner implements SshSigner {
    private static final byte FAILURE = 5;
    private static final byte REQUEST_IDENTITIES = 11;
    private static final byte IDENTITIES_ANSWER = 12;
    private static final byte SIGN_REQUEST = 13;
    private static final byte SIGN_RESPONSE = 14;
    /** Asks the agent for rsa-sha2-512 rather than SHA-1 for an RSA key. */
    private static final int RSA_SHA2_512 = 4;

    private final Path socket;
    private final PublicKey key;
    private final byte[] blob;

    private AgentSigner(Path socket, PublicKey key, byte[] blob) {
        this.socket = socket;
        this.key = key;
        this.blob = blob;
    }

    /** The agent's keys, in its order. */
    public static List<AgentSigner> keys(Path socket) throws SigningException {
        Buffer answer = call(socket, new byte[] {REQUEST_IDENTITIES}, IDENTITIES_ANSWER, "list its keys");
        int n = answer.getInt();
        List<AgentSigner> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] blob = answer.getBytes();
            answer.getString(); // comment
            try {
                keys.add(new AgentSigner(socket, new ByteArrayBuffer(blob).getRawPublicKey(), blob));
            } catch (org.apache.sshd.common.SshException | RuntimeException unsupported) {
                // a key type this process cannot read (a certificate, a security key): not one to sign with here
            }
        }
        return keys;
    }

    /** The agent's key matching {@code key}, or null. */
    public static AgentSigner holding(Path socket, PublicKey key) throws SigningException {
        byte[] wanted = SshSignature.publicKeyBlob(key);
        for (AgentSigner k : keys(socket)) {
            if (MessageDigest.isEqual(k.blob, wanted)) {
                return k;
            }
        }
        return null;
    }

    @Override
    public PublicKey publicKey() {
        return key;
    }

    @Override
    public byte[] sign(byte[] data) throws SigningException {
        ByteArrayBuffer request = new ByteArrayBuffer();
        request.putByte(SIGN_REQUEST);
        request.putBytes(blob);
        request.putBytes(data);
        request.putInt(KeyFileSigner.RSA.equals(KeyUtils.getKeyType(key)) ? RSA_SHA2_512 : 0);
        return call(socket, request.getCompactData(), SIGN_RESPONSE, "sign").getBytes();
    }

    @Override
    public String describe() {
        return "ssh-agent key " + KeyUtils.getFingerPrint(key);
    }

    private static Buffer call(Path socket, byte[] message, byte expected, String what) throws SigningException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.allocate(4 + message.length)
                    .putInt(message.length)
                    .put(message);
            out.flip();
            while (out.hasRemaining()) {
                channel.write(out);
            }
            ByteBuffer length = read(channel, 4);
            int size = length.getInt();
            if (size <= 0 || size > 256 * 1024) {
                throw new SigningException("the ssh-agent at " + socket + " answered a message of " + size + " bytes");
            }
            Buffer answer = new ByteArrayBuffer(read(channel, size).array());
            byte type = answer.getByte();
            if (type == FAILURE) {
                throw new SigningException("the ssh-agent at " + socket + " refused to " + what);
            }
            if (type != expected) {
                throw new SigningException("the ssh-agent at " + socket + " answered message type " + type);
            }
            return answer;
        } catch (IOException e) {
            throw new SigningException("cannot reach the ssh-agent at " + socket + ": " + e.getMessage(), e);
        }
    }

    private static ByteBuffer read(SocketChannel channel, int size) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(size);
        while (in.hasRemaining()) {
            if (channel.read(in) < 0) {
                throw new IOException("the agent closed the connection");
            }
        }
        in.flip();
        return in;
    }
}
