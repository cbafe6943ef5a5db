package org.fastdowntime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one order of connection settings: the profile (file, then variables), the worker config, then
 * flags.
 */
@Tag("unit")
class TemporalConnectionTest {
    @TempDir
    Path dir;

    private Path toml() throws Exception {
        Path f = dir.resolve("temporal.toml");
        Files.writeString(f, """
        [profile.default]
        address = "default.example:7233"

        [profile.prod]
        address = "prod.example:7233"
        namespace = "prod-ns"
        api_key = "profile-secret-key"

        [profile.prod.tls]
        server_ca_cert_path = "/etc/ca.pem"
        server_name = "frontend.prod"
        """);
        return f;
    }

    @Test
    void theProfileIsReadAsTemporalsCliReadsItAndVariablesOverrideTheFile() throws Exception {
        TemporalSettings p = TemporalSettings.fromProfile("prod", toml(), Map.of("TEMPORAL_NAMESPACE", "from-env"));
        TemporalConnection c = TemporalConnection.of(p);
        assertEquals("prod.example:7233", c.target());
        assertEquals("from-env", c.namespace(), "TEMPORAL_NAMESPACE wins over the file");
        assertTrue(c.tls(), "a profile with a tls table, or an API key, means TLS");
        assertEquals("TEMPORAL_NAMESPACE", p.namespace().from());
        assertTrue(p.target().from().contains("profile 'prod'"), p.target().from());
        assertFalse(c.describe().contains("profile-secret-key"), c.describe());
        assertTrue(c.describe().contains("server name frontend.prod"), c.describe());

        TemporalSettings byVariable = TemporalSettings.fromProfile(null, toml(), Map.of("TEMPORAL_PROFILE", "default"));
        assertEquals("default.example:7233", TemporalConnection.of(byVariable).target());
        assertFalse(TemporalConnection.of(byVariable).tls());
    }

    @Test
    void theWorkerConfigWinsOverTheProfileAndFlagsWinOverBoth() throws Exception {
        TemporalSettings profile = TemporalSettings.fromProfile("prod", toml(), Map.of());
        TemporalSettings config = TemporalSettings.builder("temporal in worker.yaml")
                .target("config.example:7233")
                .taskQueue("from-config")
                .build();
        TemporalSettings flags = TemporalSettings.builder("flags")
                .namespace("from-flag", "--namespace")
                .build();
        TemporalConnection c = TemporalConnection.of(profile, config, flags);
        assertEquals("config.example:7233", c.target());
        assertEquals("from-flag", c.namespace());
        assertEquals("from-config", c.taskQueue());
        assertTrue(c.describe().contains("API key from profile 'prod'"), "the key is kept, and said by origin only");
    }

    @Test
    void nothingSetMeansTheLocalDevServerInPlaintext() throws Exception {
        TemporalConnection c =
                TemporalConnection.of(TemporalSettings.fromProfile(null, null, Map.of("HOME", dir.toString())));
        assertEquals("127.0.0.1:7233", c.target());
        assertEquals("default", c.namespace());
        assertEquals("fastdowntime", c.taskQueue());
        assertFalse(c.tls());
    }

    @Test
    void aBadProfileOrFileIsNamed() throws Exception {
        var missingProfile = assertThrows(
                TemporalConnection.Invalid.class, () -> TemporalSettings.fromProfile("staging", toml(), Map.of()));
        assertTrue(missingProfile.getMessage().startsWith("--profile 'staging'"), missingProfile.getMessage());
        var missingFile = assertThrows(
                TemporalConnection.Invalid.class,
                () -> TemporalSettings.fromProfile(null, null, Map.of("TEMPORAL_CONFIG_FILE", dir + "/nope.toml")));
        assertTrue(missingFile.getMessage().contains("TEMPORAL_CONFIG_FILE: no such file"), missingFile.getMessage());
        TemporalConnection noCa = TemporalConnection.of(TemporalSettings.builder("x")
                .serverCa(TemporalSettings.Pem.file(dir.resolve("ca.pem")), "temporal.tls.caFile in w.yaml")
                .build());
        var e = assertThrows(TemporalConnection.Invalid.class, () -> noCa.stubs(null, null));
        assertEquals(
                "temporal.tls.caFile in w.yaml: no such file " + dir.resolve("ca.pem") + " (the server CA certificate)",
                e.getMessage());
    }

    @Test
    void theHttpApiIsWhereItIsSetElseBesideALoopbackTargetAndNeverWithTls() throws Exception {
        assertEquals("127.0.0.1:7243", TemporalConnection.of().httpTarget(), "the default target's port + 10");
        assertEquals(
                "localhost:17243",
                TemporalConnection.of(TemporalSettings.of("localhost:17233", null, null))
                        .httpTarget());
        assertEquals(
                null,
                TemporalConnection.of(TemporalSettings.of("temporal.internal:7233", null, null))
                        .httpTarget(),
                "not on loopback: only where it is set");
        TemporalSettings set = TemporalSettings.builder("temporal in worker.yaml")
                .target("temporal.internal:7233")
                .httpTarget("temporal.internal:8080", "temporal.httpTarget in worker.yaml")
                .build();
        assertEquals("temporal.internal:8080", TemporalConnection.of(set).httpTarget());
        TemporalSettings off = TemporalSettings.builder("flags")
                .httpTarget("none", "--http-target")
                .build();
        assertEquals(null, TemporalConnection.of(set, off).httpTarget(), "none turns it off");
        TemporalSettings tls =
                TemporalSettings.builder("flags").tls(true, "--tls").build();
        assertEquals(null, TemporalConnection.of(set, tls).httpTarget(), "a TLS connection keeps to gRPC");
        TemporalSettings bad = TemporalSettings.builder("flags")
                .httpTarget("temporal.internal", "--http-target")
                .build();
        var e = assertThrows(
                TemporalConnection.Invalid.class,
                () -> TemporalConnection.of(bad).httpTarget());
        assertEquals("--http-target: not HOST:PORT (or none): 'temporal.internal'", e.getMessage());
    }
}
