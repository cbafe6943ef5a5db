package org.fastdowntime.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.fastdowntime.testing.TestDatabase;

/**
 * The worker config a test's worker JVM reads: one environment on the test's database, the patcher {@code postgres}
 * (also its only system user), and leads short enough for windows a few seconds ahead. Each test adds what it is
 * about: a task queue or a whole {@code temporal:} section, approvers, budgets, other top-level sections.
 */
final class TestWorkerYaml {
    private final String environment;
    private final String jdbcUrl;
    private final Path patches;
    private String temporal = "";
    private List<String> approvers = List.of("alice");
    private List<String> signOffApprovers = List.of();
    private final Map<String, String> budgets =
            new LinkedHashMap<>(Map.of("qaLead", "1s", "quiesceLead", "2s", "preflightLead", "1s", "armLead", "500ms"));
    private String sections = "";
    private String environmentLines = "";

    private TestWorkerYaml(String environment, TestDatabase db, Path patches) {
        this.environment = environment;
        this.jdbcUrl = db.url().replaceAll("\\?.*$", ""); // the config names the user; no password in the URL
        this.patches = patches;
    }

    static TestWorkerYaml of(String environment, TestDatabase db, Path patches) {
        return new TestWorkerYaml(environment, db, patches);
    }

    TestWorkerYaml taskQueue(String queue) {
        return temporal("taskQueue: " + queue);
    }

    /** The lines of the {@code temporal:} section. */
    TestWorkerYaml temporal(String lines) {
        this.temporal = lines;
        return this;
    }

    TestWorkerYaml approvers(String... names) {
        this.approvers = List.of(names);
        return this;
    }

    TestWorkerYaml signOffApprovers(String... names) {
        this.signOffApprovers = List.of(names);
        return this;
    }

    /** A budget, e.g. {@code budget("heartbeatTimeout", "3s")}; replaces the default of that name. */
    TestWorkerYaml budget(String name, String value) {
        budgets.put(name, value);
        return this;
    }

    /** More keys of the environment, as YAML at its level (e.g. {@code gate: pgbouncer} and its section). */
    TestWorkerYaml environmentLines(String yaml) {
        this.environmentLines = yaml;
        return this;
    }

    /** Top-level sections after {@code environments:}, e.g. a {@code monthly:} one. */
    TestWorkerYaml sections(String yaml) {
        this.sections = yaml;
        return this;
    }

    String yaml() {
        StringBuilder y = new StringBuilder();
        if (!temporal.isBlank()) {
            y.append("temporal:\n").append(temporal.stripTrailing().indent(2));
        }
        y.append("environments:\n")
                .append("  ")
                .append(environment)
                .append(":\n")
                .append("    jdbcUrl: ")
                .append(jdbcUrl)
                .append('\n')
                .append("    user: postgres\n")
                .append("    patches: ")
                .append(patches)
                .append('\n')
                .append("    approvers: ")
                .append(approvers)
                .append('\n');
        if (!signOffApprovers.isEmpty()) {
            y.append("    signOffApprovers: ").append(signOffApprovers).append('\n');
        }
        y.append("    systemUsers: [postgres]\n").append("    budgets:\n");
        y.append(budgets.entrySet().stream()
                .map(b -> "      " + b.getKey() + ": " + b.getValue() + "\n")
                .collect(Collectors.joining()));
        y.append(environmentLines.stripTrailing().indent(4));
        return y.append(sections).toString();
    }

    Path write(Path file) throws java.io.IOException {
        Files.writeString(file, yaml());
        return file;
    }
}
