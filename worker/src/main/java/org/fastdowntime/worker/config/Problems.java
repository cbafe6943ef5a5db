package org.fastdowntime.worker.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Every problem of a config file, each at the key it is about; reported together, never one at a time. */
final class Problems {
    /** One problem: the key as the file spells it ({@code environments.production.budgets.qaLead}) and what. */
    record Problem(String key, String message) {
        @Override
        public String toString() {
            return key.isEmpty() ? message : key + ": " + message;
        }
    }

    private final List<Problem> all = new ArrayList<>();

    void add(String key, String message) {
        all.add(new Problem(key, message));
    }

    /** How many so far: a section compares before and after to know whether it found any. */
    int count() {
        return all.size();
    }

    /** Whether any problem is at {@code key} or under it. */
    boolean anyAt(String key) {
        return all.stream().anyMatch(p -> p.key().equals(key) || p.key().startsWith(key + "."));
    }

    /** Fails with every problem, naming the file, if there is any. */
    void throwIfAny(Path file) throws WorkerConfig.Invalid {
        if (!all.isEmpty()) {
            throw new WorkerConfig.Invalid(file + ":\n  "
                    + String.join("\n  ", all.stream().map(Problem::toString).toList()));
        }
    }
}
