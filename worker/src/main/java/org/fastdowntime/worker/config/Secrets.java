package org.fastdowntime.worker.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a config's secrets come from: {@code <name>Env} names an environment variable, {@code <name>File} a
 * file (relative to the config); never the config itself. The one place they are resolved.
 */
final class Secrets {
    private final Map<String, String> env;
    private final Path base;
    private final Problems problems;

    Secrets(Map<String, String> env, Path base, Problems problems) {
        this.env = env;
        this.base = base;
        this.problems = problems;
    }

    /** The secret {@code name} under {@code key}, or null when neither source is given (or one is bad). */
    String resolve(String key, String name, String fromEnv, String fromFile) {
        if (fromEnv != null && fromFile != null) {
            problems.add(key, "give " + name + "Env or " + name + "File, not both");
            return null;
        }
        if (fromEnv != null) {
            String v = env.get(fromEnv);
            if (v == null) {
                problems.add(key + "." + name + "Env", "the environment variable " + fromEnv + " is not set");
            }
            return v;
        }
        if (fromFile != null) {
            try {
                return Files.readString(base.resolve(fromFile)).strip();
            } catch (IOException ex) {
                problems.add(key + "." + name + "File", "cannot read " + fromFile + ": " + ex.getMessage());
            }
        }
        return null;
    }
}
