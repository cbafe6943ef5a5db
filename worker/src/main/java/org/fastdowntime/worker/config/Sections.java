package org.fastdowntime.worker.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What every section reader shares: the config's folder (paths are relative to it), its problems and secrets. */
class Sections {
    final Path file;
    final Path base;
    final Problems problems;
    final Secrets secrets;

    Sections(Path file, Map<String, String> env, Problems problems) {
        this.file = file;
        this.base = file.toAbsolutePath().getParent();
        this.problems = problems;
        this.secrets = new Secrets(env, base, problems);
    }

    Sections(Sections shared) {
        this.file = shared.file;
        this.base = shared.base;
        this.problems = shared.problems;
        this.secrets = shared.secrets;
    }

    static String or(String v, String fallback) {
        return v == null || v.isBlank() ? fallback : v;
    }

    static Duration or(Duration v, Duration fallback) {
        return v == null ? fallback : v;
    }

    static <T> List<T> list(List<T> v, List<T> fallback) {
        return v == null ? fallback : List.copyOf(v);
    }
}
