package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.fastdowntime.activity.Json;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secured cluster as production has one: the real Temporal server behind nginx terminating TLS,
 * one port with mutual TLS (a client certificate signed by the test CA required), one with an API
 * key required. A worker (its own JVM) and the command line connect the way Temporal users
 * configure it; bad certificates fail in words; no secret reaches a history, a status or a log.
 */
class SecuredClusterTest {
    static final String API_KEY = "fdt-test-api-key-8c1f0e";

    @RegisterExtension
    static final RealTemporal temporal = RealTemporal.headless();

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    static TlsProxy.Certificates certs;
    static TlsProxy proxy;
    final List<Process> workers = new ArrayList<>();
    Path folder;
    String queue;
    String env;

    @BeforeAll
    static void secure() throws Exception {
        certs = TlsProxy.Certificates.make(shared.resolve("certs"));
        proxy = TlsProxy.start(shared.resolve("nginx"), certs, temporal.target(), API_KEY);
    }

    @AfterAll
    static void unsecure() throws Exception {
        proxy.close();
    }

    @BeforeEach
    void world() throws Exception {
        folder = db.demoFolder(dir, n -> n.startsWith("demo-") || n.contains("-01-") || n.contains("-02-"));
        queue = "secured-" + db.name();
        env = "sec" + db.name().substring(db.name().length() - 6); // window ids are per environment and minute
        Files.writeString(dir.resolve("keypass"), TlsProxy.Certificates.KEY_PASSWORD + "\n");
    }

    @AfterEach
    void stopWorkers() throws Exception {
        for (Process p : workers) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private String mtls() {
        return "127.0.0.1:" + proxy.mtlsPort;
    }

    private String keyed() {
        return "127.0.0.1:" + proxy.apiKeyPort;
    }

    /** The client's flags for mutual TLS, with the plain client key. */
    private String[] mtlsFlags() {
        return new String[] {
            "--target",
            mtls(),
            "--task-queue",
            queue,
            "--tls-ca-path",
            certs.ca().toString(),
            "--tls-cert-path",
            certs.clientCert().toString(),
            "--tls-key-path",
            certs.clientKey().toString()
        };
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    private Path workerConfig(String temporalSection) throws Exception {
        return TestWorkerYaml.of(env, db, folder).temporal(temporalSection).write(dir.resolve("worker.yaml"));
    }

    private Process worker(Path config, Map<String, String> env) throws Exception {
        Process p = WorkerProcess.start(config, null, env, dir.resolve("worker-" + workers.size() + ".log"))
                .process();
        workers.add(p);
        return p;
    }

    private String workerLog(int n) throws Exception {
        Path f = dir.resolve("worker-" + n + ".log");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    private void awaitPolling(int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!workerLog(n).contains("Worker polling")) {
            assertTrue(workers.get(n).isAlive(), "the worker runs:\n" + workerLog(n));
            assertTrue(System.nanoTime() < deadline, "the worker polls within 60 s:\n" + workerLog(n));
            Thread.sleep(100);
        }
    }

    /** {@code temporal workflow describe} through the mutual-TLS proxy, with the CLI's own TLS flags. */
    private RealTemporal.Result describeOverMutualTls(String id) throws Exception {
        return RealTemporal.run(List.of(
                RealTemporal.cli().toString(),
                "workflow",
                "describe",
                "--workflow-id",
                id,
                "--address",
                mtls(),
                "--tls-ca-path",
                certs.ca().toString(),
                "--tls-cert-path",
                certs.clientCert().toString(),
                "--tls-key-path",
                certs.clientKey().toString()));
    }

    /** Sleeps, for a polling loop's condition; always true. */
    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }

    private JsonNode awaitEnd(String id, String... flags) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            Cli s = Cli.run(concat(new String[] {"status", id, "--json"}, flags));
            assertEquals(0, s.exit(), s.toString());
            JsonNode status = Json.mapper().readTree(s.out());
            String stage = status.path("stage").asText();
            if (List.of("DONE", "SKIPPED", "FAILED", "ABORTED").contains(stage)) {
                return status;
            }
            assertTrue(System.nanoTime() < deadline, "the window ends within 90 s: " + s.out() + "\n" + workerLog(0));
            Thread.sleep(300);
        }
    }

    @Test
    void aWorkerAndTheCommandLineRunAWindowOverMutualTls() throws Exception {
        // The worker reads an encrypted client key, its password from a file: the config names files,
        // never secrets.
        Path config = workerConfig("""
            target: %s
            taskQueue: %s
            tls:
              caFile: %s
              certFile: %s
              keyFile: %s
              keyPasswordFile: %s
            """.formatted(
                mtls(), queue, certs.ca(), certs.clientCert(), certs.clientKeyEncrypted(), dir.resolve("keypass")));
        worker(config, Map.of());
        awaitPolling(0);
        assertTrue(workerLog(0).contains("mutual TLS"), workerLog(0));

        String at = Instant.now().plusSeconds(8).toString();
        Cli start =
                Cli.run(concat(new String[] {"start", "fast-downtime", "--environment", env, "--at", at}, mtlsFlags()));
        assertEquals(0, start.exit(), start.toString());
        String id = start.out().strip();
        for (String patch : List.of("2300-01-0", "2300-02-0")) {
            Cli ok = Cli.run(concat(new String[] {"approve", id, "--patch", patch, "--by", "alice"}, mtlsFlags()));
            assertEquals(0, ok.exit(), ok.toString());
        }
        JsonNode status = awaitEnd(id, mtlsFlags());
        assertEquals("DONE", status.path("stage").asText(), status.toString());
        assertTrue(status.path("outage").path("outageMillis").asLong() > 0, status.toString());
        try (Connection c = java.sql.DriverManager.getConnection(db.url());
                Statement st = c.createStatement();
                var rs = st.executeQuery(
                        "SELECT count(*) FROM LaunchpadDatabaseRevision WHERE major = 2300 AND minor IN (1," + " 2)")) {
            rs.next();
            assertEquals(2, rs.getInt(1), "both patches applied");
        }

        // The temporal CLI reaches the same workflow through the same proxy, with its own TLS flags. The
        // status says DONE before the workflow has sent its last announcement and completed: ask until it has.
        RealTemporal.Result described;
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        do {
            described = describeOverMutualTls(id);
        } while (described.exit() == 0
                && !described.out().matches("(?s).*Status\\s+COMPLETED.*")
                && System.nanoTime() < until
                && sleep(200));
        assertEquals(0, described.exit(), described.out());
        assertTrue(described.out().matches("(?s).*Status\\s+COMPLETED.*"), described.out());

        String history = temporal.temporal("workflow", "show", "--workflow-id", id, "--output", "json")
                .out();
        for (String secret : List.of(
                TlsProxy.Certificates.KEY_PASSWORD,
                Files.readString(certs.clientKey())
                        .lines()
                        .filter(l -> !l.startsWith("-----"))
                        .findFirst()
                        .orElseThrow())) {
            assertFalse(history.contains(secret), "no key material in the history");
            assertFalse(workerLog(0).contains(secret), "no key material in the worker's log");
            assertFalse(status.toString().contains(secret), "no key material in the status");
        }
    }

    @Test
    void badCertificatesAndBadSettingsFailWithAMessageThatSaysWhich() throws Exception {
        String[] status = {
            "status",
            "fast-downtime-sec-nothing",
            "--target",
            mtls(),
            "--tls-ca-path",
            certs.ca().toString()
        };

        Cli none = Cli.run(status);
        assertEquals(40, none.exit(), none.toString());
        assertTrue(none.err().contains("requires a client certificate"), none.toString());

        Cli rogue = Cli.run(concat(
                status,
                "--tls-cert-path",
                certs.rogueCert().toString(),
                "--tls-key-path",
                certs.rogueKey().toString()));
        assertEquals(40, rogue.exit(), rogue.toString());
        assertTrue(rogue.err().contains("refused our client certificate"), rogue.toString());

        Cli untrusted = Cli.run(
                "status",
                "fast-downtime-sec-nothing",
                "--target",
                mtls(),
                "--tls-ca-path",
                certs.rogueCa().toString(),
                "--tls-cert-path",
                certs.clientCert().toString(),
                "--tls-key-path",
                certs.clientKey().toString());
        assertEquals(40, untrusted.exit(), untrusted.toString());
        assertTrue(untrusted.err().contains("presented a certificate we do not trust"), untrusted.toString());

        Cli missing = Cli.run(concat(
                status,
                "--tls-cert-path",
                dir.resolve("nope.pem").toString(),
                "--tls-key-path",
                certs.clientKey().toString()));
        assertEquals(40, missing.exit(), missing.toString());
        assertTrue(
                missing.err().contains("--tls-cert-path: no such file " + dir.resolve("nope.pem")), missing.toString());

        Cli noPassword = Cli.run(concat(
                status,
                "--tls-cert-path",
                certs.clientCert().toString(),
                "--tls-key-path",
                certs.clientKeyEncrypted().toString()));
        assertEquals(40, noPassword.exit(), noPassword.toString());
        assertTrue(
                noPassword.err().contains("--tls-key-path") && noPassword.err().contains("encrypted"),
                noPassword.toString());

        Files.writeString(dir.resolve("wrong"), "not-the-password\n");
        Cli wrongPassword = Cli.run(concat(
                status,
                "--tls-cert-path",
                certs.clientCert().toString(),
                "--tls-key-path",
                certs.clientKeyEncrypted().toString(),
                "--tls-key-password-file",
                dir.resolve("wrong").toString()));
        assertEquals(40, wrongPassword.exit(), wrongPassword.toString());
        assertTrue(wrongPassword.err().contains("wrong password"), wrongPassword.toString());
        assertFalse(wrongPassword.toString().contains("not-the-password"), "the password is not repeated");

        // The worker says the same of its config, and exits 34 (bad config) naming the key.
        Path config = workerConfig("""
            target: %s
            tls:
              caFile: %s
              certFile: %s
              keyFile: %s
              keyPasswordFile: %s
            """.formatted(
                        mtls(), certs.ca(), certs.clientCert(), certs.clientKeyEncrypted(), dir.resolve("wrong")));
        Process w = worker(config, Map.of());
        assertTrue(w.waitFor(60, TimeUnit.SECONDS), "the worker gives up");
        assertEquals(34, w.exitValue(), workerLog(0));
        assertTrue(
                workerLog(0).contains("temporal.tls.keyPasswordFile in " + config)
                        || workerLog(0).contains("temporal.tls.keyFile in " + config),
                workerLog(0));
        assertTrue(workerLog(0).contains("wrong password"), workerLog(0));
        assertFalse(workerLog(0).contains("\tat "), "no stack trace:\n" + workerLog(0));

        // An API key literally in the config file is refused.
        Path literal = workerConfig("apiKey: " + API_KEY + "\n");
        Process w2 = worker(literal, Map.of());
        assertTrue(w2.waitFor(60, TimeUnit.SECONDS));
        assertEquals(34, w2.exitValue(), workerLog(1));
        assertTrue(workerLog(1).contains("temporal.apiKey: an API key is never written in this file"), workerLog(1));
    }

    @Test
    void anApiKeyIsSentAsTheAuthorizationHeaderAndNeverShown() throws Exception {
        // The worker gets everything the way Temporal's CLI and SDKs read it: environment variables of
        // the profile.
        Path config = workerConfig("taskQueue: " + queue + "\n");
        worker(
                config,
                Map.of(
                        "TEMPORAL_ADDRESS",
                        keyed(),
                        "TEMPORAL_API_KEY",
                        API_KEY,
                        "TEMPORAL_TLS_SERVER_CA_CERT_PATH",
                        certs.ca().toString()));
        awaitPolling(0);
        assertTrue(workerLog(0).contains("API key from TEMPORAL_API_KEY"), workerLog(0));

        Files.writeString(dir.resolve("api-key"), API_KEY + "\n");
        String[] flags = {
            "--target",
            keyed(),
            "--task-queue",
            queue,
            "--tls-ca-path",
            certs.ca().toString(),
            "--api-key-file",
            dir.resolve("api-key").toString()
        };
        // Nothing pending that QA could approve in time: the window ends on its own, through the
        // worker.
        Cli start = Cli.run(concat(
                new String[] {
                    "start",
                    "fast-downtime",
                    "--environment",
                    env,
                    "--patch",
                    "2300-01-0",
                    "--at",
                    Instant.now().plusSeconds(4).toString()
                },
                flags));
        assertEquals(0, start.exit(), start.toString());
        String id = start.out().strip();
        JsonNode status = awaitEnd(id, flags);
        assertEquals("SKIPPED", status.path("stage").asText(), status.toString());

        Files.writeString(dir.resolve("wrong-key"), "not-the-key\n");
        Cli refused = Cli.run(
                "status",
                id,
                "--target",
                keyed(),
                "--tls-ca-path",
                certs.ca().toString(),
                "--api-key-file",
                dir.resolve("wrong-key").toString());
        assertEquals(40, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("refused our credentials"), refused.toString());
        assertTrue(proxy.accessLog().contains("\" 401 "), "the proxy checked the header and refused the wrong key");

        String history = temporal.temporal("workflow", "show", "--workflow-id", id, "--output", "json")
                .out();
        assertTrue(history.contains(id), history);
        assertFalse(history.contains(API_KEY), "the API key is not in the history");
        assertFalse(status.toString().contains(API_KEY), "nor in the status");
        assertFalse(workerLog(0).contains(API_KEY), "nor in the worker's log");
        assertFalse(start.toString().contains(API_KEY), "nor in what the command printed");
    }
}
