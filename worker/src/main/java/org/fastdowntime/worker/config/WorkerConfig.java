package org.fastdowntime.worker.config;

import java.nio.file.Path;
import java.util.Map;
import org.fastdowntime.announce.AnnounceSettings;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.release.MonthlySettings;
import org.fastdowntime.worker.TemporalSettings;

/**
 * The worker's one YAML file, read: a record per section, validated at start with messages that name the bad
 * key ({@link ConfigReader}). Secrets are never in the file itself: {@code passwordEnv} names an environment
 * variable, {@code passwordFile} a file.
 */
public record WorkerConfig(
        TemporalSettings temporal,
        Map<String, EnvironmentSettings> environments,
        Map<String, MonthlySettings> monthly,
        Map<String, AnnounceSettings> announce,
        Http http,
        Map<String, org.fastdowntime.env.FleetSettings> fleets) {

    public WorkerConfig {
        fleets = fleets == null ? Map.of() : Map.copyOf(fleets);
    }

    public WorkerConfig(
            TemporalSettings temporal,
            Map<String, EnvironmentSettings> environments,
            Map<String, MonthlySettings> monthly,
            Map<String, AnnounceSettings> announce,
            Http http) {
        this(temporal, environments, monthly, announce, http, Map.of());
    }

    public WorkerConfig(TemporalSettings temporal, Map<String, EnvironmentSettings> environments) {
        this(temporal, environments, Map.of());
    }

    public WorkerConfig(
            TemporalSettings temporal,
            Map<String, EnvironmentSettings> environments,
            Map<String, MonthlySettings> monthly) {
        this(temporal, environments, monthly, Map.of(), null);
    }

    public WorkerConfig withAnnounce(Map<String, AnnounceSettings> channels) {
        return new WorkerConfig(temporal, environments, monthly, channels, http, fleets);
    }

    public WorkerConfig withHttp(Http endpoint) {
        return new WorkerConfig(temporal, environments, monthly, announce, endpoint, fleets);
    }

    /** The same config with these fleets ({@code fleets:}), whose members are environments {@code fleet/member}. */
    public WorkerConfig withFleets(Map<String, org.fastdowntime.env.FleetSettings> f) {
        return new WorkerConfig(temporal, environments, monthly, announce, http, f);
    }

    /** The worker's HTTP endpoint: Prometheus metrics at /metrics and the status feeds at /feed/ENV.atom. */
    public record Http(String bind, int port) {}

    /** Thrown for a config that cannot be used; the message names the file and every bad key. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message);
        }
    }

    public static WorkerConfig load(Path file) throws Invalid {
        return load(file, System.getenv());
    }

    /** Reads {@code file}, with {@code env} as the environment its secrets' variables are looked up in. */
    public static WorkerConfig load(Path file, Map<String, String> env) throws Invalid {
        return ConfigReader.read(file, env);
    }
}
