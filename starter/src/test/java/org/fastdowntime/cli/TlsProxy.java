package org.fastdowntime.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A secured front for a real Temporal server, as production clusters have one: Debian's nginx
 * terminating TLS over HTTP/2 and passing gRPC on in plaintext. Two listeners: one requires a
 * client certificate signed by the test CA (mutual TLS), the other requires {@code authorization:
 * Bearer <key>} (how Temporal clients send an API key). Runs in the foreground as its own process
 * and is stopped by its process id.
 */
final class TlsProxy implements AutoCloseable {
    /**
     * The test's certificates, made with openssl: a CA, a server certificate, a client one, and a
     * rogue CA's.
     */
    record Certificates(Path dir) {
        Path ca() {
            return dir.resolve("ca.pem");
        }

        Path serverCert() {
            return dir.resolve("server.pem");
        }

        Path serverKey() {
            return dir.resolve("server.key");
        }

        Path clientCert() {
            return dir.resolve("client.pem");
        }

        Path clientKey() {
            return dir.resolve("client.key");
        }

        /** The client key encrypted (PKCS#8) with {@link #KEY_PASSWORD}. */
        Path clientKeyEncrypted() {
            return dir.resolve("client-encrypted.key");
        }

        Path rogueCa() {
            return dir.resolve("rogue-ca.pem");
        }

        /** A client certificate signed by the rogue CA, which the proxy does not trust. */
        Path rogueCert() {
            return dir.resolve("rogue.pem");
        }

        Path rogueKey() {
            return dir.resolve("rogue.key");
        }

        static final String KEY_PASSWORD = "correct-horse-battery";

        static Certificates make(Path dir) throws Exception {
            Files.createDirectories(dir);
            ca(dir, "ca", "fastdowntime test CA");
            ca(dir, "rogue-ca", "somebody else's CA");
            signed(
                    dir,
                    "server",
                    "ca",
                    "localhost",
                    "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth");
            signed(dir, "client", "ca", "fastdowntime-worker", "extendedKeyUsage=clientAuth");
            signed(dir, "rogue", "rogue-ca", "fastdowntime-worker", "extendedKeyUsage=clientAuth");
            openssl(
                    dir,
                    "pkcs8",
                    "-topk8",
                    "-in",
                    "client.key",
                    "-out",
                    "client-encrypted.key",
                    "-v1",
                    "PBE-SHA1-3DES",
                    "-passout",
                    "pass:" + KEY_PASSWORD);
            return new Certificates(dir);
        }

        private static void ca(Path dir, String name, String cn) throws Exception {
            openssl(
                    dir,
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-keyout",
                    name + ".key",
                    "-out",
                    name + ".pem",
                    "-days",
                    "2",
                    "-subj",
                    "/CN=" + cn);
        }

        private static void signed(Path dir, String name, String ca, String cn, String extensions) throws Exception {
            Files.writeString(dir.resolve(name + ".ext"), extensions + "\n");
            openssl(
                    dir,
                    "req",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-keyout",
                    name + ".key",
                    "-out",
                    name + ".csr",
                    "-subj",
                    "/CN=" + cn);
            openssl(
                    dir,
                    "x509",
                    "-req",
                    "-in",
                    name + ".csr",
                    "-CA",
                    ca + ".pem",
                    "-CAkey",
                    ca + ".key",
                    "-CAcreateserial",
                    "-out",
                    name + ".pem",
                    "-days",
                    "2",
                    "-extfile",
                    name + ".ext");
        }

        private static void openssl(Path dir, String... args) throws Exception {
            List<String> argv = new java.util.ArrayList<>(List.of("openssl"));
            argv.addAll(List.of(args));
            Process p = new ProcessBuilder(argv)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("openssl " + String.join(" ", args) + " failed:\n" + out);
            }
        }
    }

    private final Path dir;
    private final Process nginx;
    final int mtlsPort;
    final int apiKeyPort;

    private TlsProxy(Path dir, Process nginx, int mtlsPort, int apiKeyPort) {
        this.dir = dir;
        this.nginx = nginx;
        this.mtlsPort = mtlsPort;
        this.apiKeyPort = apiKeyPort;
    }

    /** Starts nginx in front of {@code upstream} (host:port of the real server). */
    static TlsProxy start(Path dir, Certificates certs, String upstream, String apiKey) throws Exception {
        Files.createDirectories(dir);
        int mtls = RealTemporal.freePort();
        int keyed = RealTemporal.freePort();
        boolean root = "root".equals(System.getProperty("user.name"));
        String conf = """
        %s
        daemon off;
        worker_processes 1;
        pid %s/nginx.pid;
        error_log %s/error.log info;
        events { worker_connections 256; }
        http {
          access_log %s/access.log;
          client_body_temp_path %s/body;
          proxy_temp_path %s/proxy;
          fastcgi_temp_path %s/fastcgi;
          uwsgi_temp_path %s/uwsgi;
          scgi_temp_path %s/scgi;
          client_max_body_size 0;
          client_body_timeout 300s;
          keepalive_timeout 300s;
          grpc_read_timeout 300s;
          grpc_send_timeout 300s;
          ssl_certificate %s;
          ssl_certificate_key %s;
          server {
            listen 127.0.0.1:%d ssl http2;
            ssl_client_certificate %s;
            ssl_verify_client on;
            location / { grpc_pass grpc://%s; }
          }
          server {
            listen 127.0.0.1:%d ssl http2;
            location / {
              if ($http_authorization != "Bearer %s") { return 401; }
              grpc_pass grpc://%s;
            }
          }
        }
        """.formatted(
                        root ? "user root;" : "",
                        dir,
                        dir,
                        dir,
                        dir,
                        dir,
                        dir,
                        dir,
                        dir,
                        certs.serverCert(),
                        certs.serverKey(),
                        mtls,
                        certs.ca(),
                        upstream,
                        keyed,
                        apiKey,
                        upstream);
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf);
        Process p = new ProcessBuilder(
                        nginx(),
                        "-c",
                        file.toString(),
                        "-p",
                        dir.toString() + "/",
                        "-e",
                        dir.resolve("error.log").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile())
                .start();
        TlsProxy proxy = new TlsProxy(dir, p, mtls, keyed);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!listening(mtls) || !listening(keyed)) {
            if (!p.isAlive()) {
                throw new AssertionError("nginx exited " + p.exitValue() + ":\n" + proxy.log());
            }
            if (System.nanoTime() > deadline) {
                proxy.close();
                throw new AssertionError("nginx did not listen within 20 s:\n" + proxy.log());
            }
            Thread.sleep(50);
        }
        return proxy;
    }

    private static String nginx() {
        for (String p : List.of("/usr/sbin/nginx", "/usr/bin/nginx")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        throw new AssertionError("nginx is not installed: run scripts/setup-machine (apt-get install nginx-light)");
    }

    private static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    String log() {
        try {
            return Files.readString(dir.resolve("error.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** The access log: one line per request, with the status nginx answered. */
    String accessLog() throws IOException {
        Path f = dir.resolve("access.log");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    @Override
    public void close() throws InterruptedException {
        nginx.destroy();
        if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
            nginx.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
