package org.fastdowntime.cli;

import java.nio.file.Path;
import java.util.Map;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.worker.config.WorkerConfig;

/** The environments of a worker config, for commands that act on one by name; a bad file or name is a clean error. */
final class ConfiguredEnvironments {
    private ConfiguredEnvironments() {}

    static Map<String, EnvironmentSettings> load(Path config) {
        try {
            return WorkerConfig.load(config).environments();
        } catch (WorkerConfig.Invalid e) {
            throw new CommandFailure(ProblemType.BAD_CONFIG, e.getMessage());
        }
    }

    /** The environment {@code name} of {@code config}. */
    static EnvironmentSettings named(Path config, String name) {
        return named(load(config), config, name);
    }

    /** The environment {@code name} of those {@code config} holds ({@code all}, loaded once). */
    static EnvironmentSettings named(Map<String, EnvironmentSettings> all, Path config, String name) {
        EnvironmentSettings env = all.get(name);
        if (env == null) {
            throw new CommandFailure(
                    ProblemType.BAD_ARGUMENTS,
                    "no environment '" + name + "' in " + config + "; configured: " + all.keySet());
        }
        return env;
    }
}
