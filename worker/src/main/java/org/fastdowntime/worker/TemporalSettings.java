package org.fastdowntime.worker;

import io.grpc.Metadata;
import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.envconfig.ClientConfigTLS;
import io.temporal.envconfig.LoadClientConfigProfileOptions;
import java.nio.file.Path;
import java.util.Map;

/**
 * One layer of where and how to reach Temporal; every field may be unset ({@code null}). Layers
 * stack, a later one winning field by field, in one order for the worker and every client command:
 *
 * <ol>
 *   <li>the client profile as Temporal's SDKs and CLI load it ({@link #fromProfile}): {@code
 *       temporal.toml} ({@code TEMPORAL_CONFIG_FILE}, else {@code
 *       ~/.config/temporalio/temporal.toml}), profile {@code TEMPORAL_PROFILE} or "default", then
 *       {@code TEMPORAL_ADDRESS}, {@code TEMPORAL_NAMESPACE}, {@code TEMPORAL_API_KEY}, {@code
 *       TEMPORAL_TLS*}, {@code TEMPORAL_GRPC_META_*};
 *   <li>the worker config's {@code temporal:} section;
 *   <li>command-line flags.
 * </ol>
 *
 * <p>Each value carries where it came from ({@link Value#from}), so a bad one is reported by the
 * name a person set it under. Secrets (the API key, the key's password) are {@link Secret}s, whose
 * {@code toString} never shows them. {@link TemporalConnection} turns the stack into a connection.
 */
public record TemporalSettings(
        Value<String> target,
        Value<String> namespace,
        Value<String> taskQueue,
        Value<Boolean> tls,
        Value<Pem> serverCa,
        Value<Pem> clientCert,
        Value<Pem> clientKey,
        Value<Secret> clientKeyPassword,
        Value<String> serverName,
        Value<Boolean> disableHostVerification,
        Value<Secret> apiKey,
        Value<String> httpTarget,
        Metadata metadata) {

    public static final TemporalSettings NONE = new Builder().build();

    /**
     * A value and the name of the setting it came from ("--tls-cert", "TEMPORAL_ADDRESS",
     * "temporal.target in …").
     */
    public record Value<T>(T value, String from) {}

    /**
     * PEM text, from a file (read when connecting, so a missing file is named then) or given inline.
     */
    public record Pem(Path file, byte[] data) {
        public static Pem file(Path file) {
            return new Pem(file, null);
        }

        @Override
        public String toString() {
            return file != null ? file.toString() : "(inline PEM)";
        }
    }

    /** A secret and where it was read from; {@code toString} shows only the origin. */
    public record Secret(String value, String origin) {
        @Override
        public String toString() {
            return "secret from " + origin;
        }
    }

    /** The plain three of the embedded service and of tests. */
    public static TemporalSettings of(String target, String namespace, String taskQueue) {
        return builder("settings")
                .target(target)
                .namespace(namespace)
                .taskQueue(taskQueue)
                .build();
    }

    public static Builder builder(String from) {
        return new Builder().from(from);
    }

    /** This layer on top of {@code below}: each field set here wins. */
    public TemporalSettings over(TemporalSettings below) {
        return new TemporalSettings(
                pick(target, below.target),
                pick(namespace, below.namespace),
                pick(taskQueue, below.taskQueue),
                pick(tls, below.tls),
                pick(serverCa, below.serverCa),
                pick(clientCert, below.clientCert),
                pick(clientKey, below.clientKey),
                pick(clientKeyPassword, below.clientKeyPassword),
                pick(serverName, below.serverName),
                pick(disableHostVerification, below.disableHostVerification),
                pick(apiKey, below.apiKey),
                pick(httpTarget, below.httpTarget),
                metadata != null ? metadata : below.metadata);
    }

    private static <T> Value<T> pick(Value<T> mine, Value<T> below) {
        return mine != null ? mine : below;
    }

    /**
     * The client profile, loaded by Temporal's envconfig exactly as its CLI and SDKs load it.
     *
     * @param profile the profile to use, or null for {@code TEMPORAL_PROFILE} / "default"
     * @param configFile the TOML file, or null for {@code TEMPORAL_CONFIG_FILE} / the default path
     * @throws TemporalConnection.Invalid when the file cannot be read or the named profile is not in
     *     it
     */
    public static TemporalSettings fromProfile(String profile, Path configFile, Map<String, String> env)
            throws TemporalConnection.Invalid {
        ClientConfigProfile p;
        String file = configFile != null
                ? configFile.toString()
                : env.getOrDefault("TEMPORAL_CONFIG_FILE", "~/.config/temporalio/temporal.toml");
        String name = profile != null ? profile : env.getOrDefault("TEMPORAL_PROFILE", "default");
        String named = env.get("TEMPORAL_CONFIG_FILE");
        if (configFile == null
                && named != null
                && !named.isEmpty()
                && !java.nio.file.Files.isRegularFile(Path.of(named))) {
            throw new TemporalConnection.Invalid("TEMPORAL_CONFIG_FILE: no such file " + named);
        }
        try {
            LoadClientConfigProfileOptions.Builder o =
                    LoadClientConfigProfileOptions.newBuilder().setEnvOverrides(env);
            if (profile != null) {
                o.setConfigFileProfile(profile);
            }
            if (configFile != null) {
                o.setConfigFilePath(configFile.toString());
            } else if ((named == null || named.isEmpty()) && !defaultFileExists()) {
                o.setDisableFile(true); // nothing to read: spares the TOML parser at every start
            }
            p = ClientConfigProfile.load(o.build());
        } catch (java.io.IOException | RuntimeException e) {
            String what = profile != null
                    ? "--profile"
                    : env.containsKey("TEMPORAL_PROFILE") ? "TEMPORAL_PROFILE" : "profile";
            throw new TemporalConnection.Invalid(what + " '" + name + "' (" + file + "): " + e.getMessage());
        }
        String inProfile = "profile '" + name + "' of " + file;
        Builder b = builder(inProfile);
        b.target(p.getAddress(), origin(env, "TEMPORAL_ADDRESS", inProfile + ": address"));
        b.namespace(p.getNamespace(), origin(env, "TEMPORAL_NAMESPACE", inProfile + ": namespace"));
        b.taskQueue(env.get("TEMPORAL_TASK_QUEUE"), "TEMPORAL_TASK_QUEUE");
        if (p.getApiKey() != null && !p.getApiKey().isEmpty()) {
            String from = origin(env, "TEMPORAL_API_KEY", inProfile + ": api_key");
            b.apiKey(new Secret(p.getApiKey(), from), from);
        }
        tls(b, p.getTls(), env, inProfile);
        b.metadata(p.getMetadata());
        return b.build();
    }

    /** The profile's TLS table, each value named by the variable or the profile key it came from. */
    private static void tls(Builder b, ClientConfigTLS t, Map<String, String> env, String inProfile) {
        if (t == null) {
            return;
        }
        if (t.isDisabled() != null) {
            b.tls(!t.isDisabled(), origin(env, "TEMPORAL_TLS", inProfile + ": tls.disabled"));
        } else {
            b.tls(true, inProfile + ": tls");
        }
        b.serverCa(
                pem(t.getServerCACertPath(), t.getServerCACertData()),
                origin(
                        env,
                        t.getServerCACertPath() != null
                                ? "TEMPORAL_TLS_SERVER_CA_CERT_PATH"
                                : "TEMPORAL_TLS_SERVER_CA_CERT_DATA",
                        inProfile + ": tls.server_ca_cert"));
        b.clientCert(
                pem(t.getClientCertPath(), t.getClientCertData()),
                origin(
                        env,
                        t.getClientCertPath() != null
                                ? "TEMPORAL_TLS_CLIENT_CERT_PATH"
                                : "TEMPORAL_TLS_CLIENT_CERT_DATA",
                        inProfile + ": tls.client_cert"));
        b.clientKey(
                pem(t.getClientKeyPath(), t.getClientKeyData()),
                origin(
                        env,
                        t.getClientKeyPath() != null ? "TEMPORAL_TLS_CLIENT_KEY_PATH" : "TEMPORAL_TLS_CLIENT_KEY_DATA",
                        inProfile + ": tls.client_key"));
        b.serverName(
                emptyToNull(t.getServerName()),
                origin(env, "TEMPORAL_TLS_SERVER_NAME", inProfile + ": tls.server_name"));
        b.disableHostVerification(
                t.isDisableHostVerification(),
                origin(env, "TEMPORAL_TLS_DISABLE_HOST_VERIFICATION", inProfile + ": tls.disable_host_verification"));
    }

    private static boolean defaultFileExists() {
        String home = System.getProperty("user.home");
        return home != null && java.nio.file.Files.exists(Path.of(home, ".config", "temporalio", "temporal.toml"));
    }

    private static String origin(Map<String, String> env, String variable, String otherwise) {
        return env.containsKey(variable) ? variable : otherwise;
    }

    private static Pem pem(String path, byte[] data) {
        if (path != null && !path.isEmpty()) {
            return Pem.file(Path.of(path));
        }
        return data != null && data.length > 0 ? new Pem(null, data) : null;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /**
     * Builds a layer; each setter takes the value (null = unset) and, optionally, the name it was set
     * under.
     */
    public static final class Builder {
        private String from = "settings";
        private Value<String> target;
        private Value<String> namespace;
        private Value<String> taskQueue;
        private Value<Boolean> tls;
        private Value<Pem> serverCa;
        private Value<Pem> clientCert;
        private Value<Pem> clientKey;
        private Value<Secret> clientKeyPassword;
        private Value<String> serverName;
        private Value<Boolean> disableHostVerification;
        private Value<Secret> apiKey;
        private Value<String> httpTarget;
        private Metadata metadata;

        /** The default origin of the values set without one. */
        public Builder from(String origin) {
            this.from = origin;
            return this;
        }

        private <T> Value<T> v(T value, String origin) {
            return value == null ? null : new Value<>(value, origin != null ? origin : from);
        }

        public Builder target(String value) {
            return target(value, null);
        }

        public Builder target(String value, String origin) {
            target = v(blankToNull(value), origin);
            return this;
        }

        public Builder namespace(String value) {
            return namespace(value, null);
        }

        public Builder namespace(String value, String origin) {
            namespace = v(blankToNull(value), origin);
            return this;
        }

        public Builder taskQueue(String value) {
            return taskQueue(value, null);
        }

        public Builder taskQueue(String value, String origin) {
            taskQueue = v(blankToNull(value), origin);
            return this;
        }

        public Builder tls(Boolean value, String origin) {
            tls = v(value, origin);
            return this;
        }

        public Builder serverCa(Pem value, String origin) {
            serverCa = v(value, origin);
            return this;
        }

        public Builder clientCert(Pem value, String origin) {
            clientCert = v(value, origin);
            return this;
        }

        public Builder clientKey(Pem value, String origin) {
            clientKey = v(value, origin);
            return this;
        }

        public Builder clientKeyPassword(Secret value, String origin) {
            clientKeyPassword = v(value, origin);
            return this;
        }

        public Builder serverName(String value, String origin) {
            serverName = v(blankToNull(value), origin);
            return this;
        }

        public Builder disableHostVerification(Boolean value, String origin) {
            disableHostVerification = v(value, origin);
            return this;
        }

        public Builder apiKey(Secret value, String origin) {
            apiKey = v(value, origin);
            return this;
        }

        /** Where Temporal's HTTP API answers ({@code HOST:PORT}), or {@code none}. */
        public Builder httpTarget(String value, String origin) {
            httpTarget = v(blankToNull(value), origin);
            return this;
        }

        public Builder metadata(Metadata value) {
            metadata = value;
            return this;
        }

        public TemporalSettings build() {
            return new TemporalSettings(
                    target,
                    namespace,
                    taskQueue,
                    tls,
                    serverCa,
                    clientCert,
                    clientKey,
                    clientKeyPassword,
                    serverName,
                    disableHostVerification,
                    apiKey,
                    httpTarget,
                    metadata);
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s;
        }
    }
}
