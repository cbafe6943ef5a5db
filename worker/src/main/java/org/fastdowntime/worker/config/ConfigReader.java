package org.fastdowntime.worker.config;

import com.fasterxml.jackson.databind.JsonMappingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fastdowntime.announce.AnnounceSettings;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.release.MonthlySettings;
import org.fastdowntime.worker.config.RawConfig.RawHttp;

/** Reads the file, then each section; every problem found is reported at once, with its key. */
final class ConfigReader extends Sections {
    private ConfigReader(Path file, Map<String, String> env) {
        super(file, env, new Problems());
    }

    static WorkerConfig read(Path file, Map<String, String> env) throws WorkerConfig.Invalid {
        RawConfig raw;
        try {
            raw = ConfigYaml.MAPPER.readValue(Files.readString(file), RawConfig.class);
        } catch (JsonMappingException e) {
            String key = ConfigYaml.keyOf(e);
            throw new WorkerConfig.Invalid(file + ": " + (key.isEmpty() ? "" : key + ": ") + ConfigYaml.messageOf(e));
        } catch (IOException e) {
            throw new WorkerConfig.Invalid(file + ": cannot read the config: " + e.getMessage());
        }
        if (raw == null) {
            throw new WorkerConfig.Invalid(file + ": the config is empty");
        }
        return new ConfigReader(file, env).build(raw);
    }

    private WorkerConfig build(RawConfig raw) throws WorkerConfig.Invalid {
        var temporal = new TemporalSection(this).read(raw.temporal());
        Map<String, AnnounceSettings> announce = new LinkedHashMap<>();
        Map<String, EnvironmentSettings> envs = environments(raw, announce);
        Map<String, MonthlySettings> monthly = new LinkedHashMap<>();
        if (raw.monthly() != null) {
            MonthlySection section = new MonthlySection(this);
            raw.monthly().forEach((name, m) -> {
                if (!envs.containsKey(name) && !problems.anyAt("environments." + name)) {
                    problems.add("monthly." + name, "no environment named '" + name + "'");
                } else if (m != null) {
                    MonthlySettings s = section.read("monthly." + name, m, envs);
                    if (s != null) {
                        monthly.put(name, s);
                    }
                }
            });
        }
        WorkerConfig.Http http = http(raw.http());
        var fleets = new FleetSection(this).read(raw.fleets(), envs);
        problems.throwIfAny(file);
        return new WorkerConfig(temporal, envs, monthly, announce, http, fleets);
    }

    private Map<String, EnvironmentSettings> environments(RawConfig raw, Map<String, AnnounceSettings> announce) {
        Map<String, EnvironmentSettings> envs = new LinkedHashMap<>();
        if (raw.environments() == null || raw.environments().isEmpty()) {
            problems.add("environments", "at least one environment is required");
            return envs;
        }
        AnnounceSection channels = new AnnounceSection(this);
        raw.environments().forEach((name, e) -> {
            if (e != null && e.announce() != null) {
                announce.put(name, channels.read("environments." + name + ".announce", e.announce()));
            }
        });
        EnvironmentSection section = new EnvironmentSection(this);
        raw.environments().forEach((name, e) -> {
            EnvironmentSettings s = section.read(name, e);
            if (s != null) {
                envs.put(name, s);
            }
        });
        envs.values().forEach(s -> {
            if (s.staging() != null && !envs.containsKey(s.staging())) {
                problems.add("environments." + s.name() + ".staging", "no environment named '" + s.staging() + "'");
            }
        });
        return envs;
    }

    private WorkerConfig.Http http(RawHttp h) {
        if (h == null) {
            return null;
        }
        if (h.port() == null || h.port() < 0 || h.port() > 65535) {
            problems.add("http.port", "required, 0-65535 (0 = any free port)");
            return null;
        }
        return new WorkerConfig.Http(or(h.bind(), "127.0.0.1"), h.port());
    }
}
