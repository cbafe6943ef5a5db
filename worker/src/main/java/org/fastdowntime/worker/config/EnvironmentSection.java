package org.fastdowntime.worker.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.patch.EngineSettings;
import org.fastdowntime.worker.config.RawConfig.RawEnvironment;

/**
 * An {@code environments:} entry: where the database is and who may connect as the patcher, the patch folder,
 * people, hooks and checks, budgets, the gate, follow-ups, standbys and the rehearsal. What is not written keeps
 * the default of {@link EnvironmentSettings#builder} (defined there, once).
 */
final class EnvironmentSection extends Sections {
    private final EnvironmentParts parts;
    private final BudgetsSection budgets;

    EnvironmentSection(Sections shared) {
        super(shared);
        this.parts = new EnvironmentParts(shared);
        this.budgets = new BudgetsSection(shared);
    }

    EnvironmentSettings read(String name, RawEnvironment e) {
        String key = "environments." + name;
        if (e == null) {
            problems.add(key, "empty");
            return null;
        }
        int before = problems.count();
        connection(key, e);
        Path patches = patchFolder(key, e);
        String password = secrets.resolve(key, "password", e.passwordEnv(), e.passwordFile());
        EnvironmentSettings.Builder b = EnvironmentSettings.builder(name, e.jdbcUrl())
                .user(e.user())
                .password(password)
                .patches(patches)
                .budgets(budgets.read(key + ".budgets", e.budgets()))
                .quiesce(parts.hooks(key + ".quiesce", e.quiesce()))
                .resume(parts.hooks(key + ".resume", e.resume()))
                .grants(parts.grants(key + ".grants", e.grants()))
                .standbys(parts.standbys(key, e))
                .pgbouncer(parts.pgbouncer(key, e))
                .rehearsal(rehearsal(key, e.rehearsal()))
                .approvals(parts.approvals(key + ".approvals", e.approvals()));
        people(b, e);
        optional(key, b, e);
        if (problems.count() > before) {
            return null;
        }
        EnvironmentSettings s = b.build();
        checkDatabase(key, s);
        return s;
    }

    private void connection(String key, RawEnvironment e) {
        if (e.jdbcUrl() == null || !e.jdbcUrl().startsWith("jdbc:postgresql://")) {
            problems.add(key + ".jdbcUrl", "required, jdbc:postgresql://host:port/database");
        } else if (e.jdbcUrl().toLowerCase(Locale.ROOT).contains("password=")) {
            problems.add(key + ".jdbcUrl", "must not contain a password; use passwordEnv or passwordFile");
        }
        if (e.user() == null || e.user().isBlank()) {
            problems.add(key + ".user", "required");
        }
        if (e.approvers() == null || e.approvers().stream().allMatch(a -> a == null || a.isBlank())) {
            problems.add(key + ".approvers", "required: at least one QA engineer, or no window can ever be approved");
        }
    }

    private Path patchFolder(String key, RawEnvironment e) {
        if (e.patches() == null) {
            problems.add(key + ".patches", "required (the patch folder)");
            return null;
        }
        Path patches = base.resolve(e.patches()).normalize();
        if (!Files.isDirectory(patches)) {
            problems.add(key + ".patches", patches + " is not a directory");
        }
        return patches;
    }

    /** Who approves, signs off, and which sessions are system, fragile or bad. */
    private static void people(EnvironmentSettings.Builder b, RawEnvironment e) {
        if (e.approvers() != null) {
            b.approvers(List.copyOf(e.approvers()));
        }
        if (e.signOffApprovers() != null) {
            b.signOffApprovers(List.copyOf(e.signOffApprovers()));
        }
        if (e.systemUsers() != null) {
            b.systemUsers(new LinkedHashSet<>(e.systemUsers()));
        }
        if (e.fragileUsers() != null) {
            b.fragileUsers(new LinkedHashSet<>(e.fragileUsers()));
        }
        if (e.badUsers() != null) {
            b.badUsers(new LinkedHashSet<>(e.badUsers()));
        }
    }

    /** What has a default: the revision table, the maintenance database, staging, checks, repeatable scripts. */
    private void optional(String key, EnvironmentSettings.Builder b, RawEnvironment e) {
        if (e.revisionTable() != null) {
            try {
                EngineSettings.defaults().withRevisionTable(e.revisionTable());
                b.revisionTable(e.revisionTable());
            } catch (IllegalArgumentException ex) {
                problems.add(key + ".revisionTable", ex.getMessage());
            }
        }
        if (e.maintenanceDatabase() != null && !e.maintenanceDatabase().isBlank()) {
            b.maintenanceDatabase(e.maintenanceDatabase());
        }
        b.staging(e.staging());
        if (e.checks() != null) {
            b.checkUrls(list(e.checks().urls(), List.of())).checkSql(e.checks().sql());
        }
        if (e.repeatableScripts() != null) {
            b.repeatableScripts(parts.scripts(key + ".repeatableScripts", e.repeatableScripts()));
        }
    }

    /** {@code rehearsal: auto|staging|copy|none}; auto when absent. */
    private EnvironmentSettings.Rehearsal rehearsal(String key, String value) {
        if (value == null) {
            return EnvironmentSettings.Rehearsal.AUTO;
        }
        try {
            return EnvironmentSettings.Rehearsal.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException ex) {
            problems.add(key + ".rehearsal", "one of auto, staging, copy, none (got '" + value + "')");
            return EnvironmentSettings.Rehearsal.AUTO;
        }
    }

    private void checkDatabase(String key, EnvironmentSettings s) {
        try {
            if (s.databaseName().equals(s.maintenanceDatabase())) {
                problems.add(
                        key + ".maintenanceDatabase",
                        "must differ from the target database (PostgreSQL refuses to close the gate of the database"
                                + " one is connected to)");
            }
        } catch (IllegalArgumentException ex) {
            problems.add(key + ".jdbcUrl", ex.getMessage());
        }
    }
}
