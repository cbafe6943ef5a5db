package org.fastdowntime.worker;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import javax.net.ssl.SSLException;
import org.fastdowntime.worker.TemporalConnection.Invalid;

/**
 * The TLS context of a connection to a secured Temporal cluster: the server's CA (or none to verify, when asked),
 * and the client's certificate and key for mutual TLS, each failing with the setting it came from.
 */
final class TlsContext {
    private TlsContext() {}

    static SslContext of(TemporalSettings s) throws Invalid {
        SslContextBuilder b = GrpcSslContexts.forClient(); // with ALPN listing HTTP/2, as gRPC requires
        if (s.serverCa() != null) {
            try (InputStream ca = open(s.serverCa(), "the server CA certificate")) {
                b.trustManager(ca);
            } catch (IllegalArgumentException | IOException e) {
                throw new Invalid(s.serverCa().from()
                        + ": not a PEM CA certificate ("
                        + s.serverCa().value()
                        + "): "
                        + e.getMessage());
            }
        } else if (s.disableHostVerification() != null
                && s.disableHostVerification().value()) {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE);
        }
        if ((s.clientCert() == null) != (s.clientKey() == null)) {
            TemporalSettings.Value<?> given = s.clientCert() != null ? s.clientCert() : s.clientKey();
            throw new Invalid(given.from()
                    + ": a client certificate needs its key and a key its certificate (mutual"
                    + " TLS takes both)");
        }
        if (s.clientCert() != null) {
            String password = s.clientKeyPassword() == null
                    ? null
                    : s.clientKeyPassword().value().value();
            try (InputStream cert = open(s.clientCert(), "the client certificate");
                    InputStream key = open(s.clientKey(), "the client key")) {
                b.keyManager(cert, key, password);
            } catch (IllegalArgumentException | IOException e) {
                String why = password == null && isEncrypted(s.clientKey())
                        ? "the key is encrypted and no password was given (keyPasswordEnv or" + " keyPasswordFile)"
                        : password != null
                                ? "wrong password for the key, or not a PKCS#8 PEM key matching the certificate"
                                : "not a PEM certificate and PKCS#8 PEM key that belong together";
                throw new Invalid(s.clientKey().from()
                        + ": cannot use the client key "
                        + s.clientKey().value()
                        + " with the certificate "
                        + s.clientCert().value()
                        + ": "
                        + why);
            }
        }
        try {
            return b.build();
        } catch (SSLException e) {
            throw new Invalid("TLS settings: " + e.getMessage());
        }
    }

    private static boolean isEncrypted(TemporalSettings.Value<TemporalSettings.Pem> key) {
        try (InputStream in = open(key, "the client key")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).contains("ENCRYPTED");
        } catch (IOException | Invalid e) {
            return false;
        }
    }

    private static InputStream open(TemporalSettings.Value<TemporalSettings.Pem> v, String what) throws Invalid {
        TemporalSettings.Pem pem = v.value();
        if (pem.data() != null) {
            return new ByteArrayInputStream(pem.data());
        }
        try {
            return new ByteArrayInputStream(Files.readAllBytes(pem.file()));
        } catch (NoSuchFileException e) {
            throw new Invalid(v.from() + ": no such file " + pem.file() + " (" + what + ")");
        } catch (IOException e) {
            throw new Invalid(v.from() + ": cannot read " + pem.file() + " (" + what + "): " + e.getMessage());
        }
    }
}
