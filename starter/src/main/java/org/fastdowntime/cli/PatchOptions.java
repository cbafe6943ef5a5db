package org.fastdowntime.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.patch.Databases;
import org.fastdowntime.patch.EngineSettings;
import org.fastdowntime.patch.Grant;
import org.fastdowntime.patch.PatchEngineException;
import org.fastdowntime.patch.PatchFolder;
import org.fastdowntime.patch.PatchSet;
import org.fastdowntime.time.Durations;
import picocli.CommandLine.Option;

/**
 * The options every patch command shares: which database, which folder, which revision table, which
 * timeouts.
 */
final class PatchOptions {
    @Option(
            names = "--db",
            required = true,
            paramLabel = "JDBC_URL",
            description = "Target database, e.g. jdbc:postgresql://127.0.0.1:5432/launchpad?user=postgres."
                    + " A password may come from PGPASSWORD instead of the URL.")
    String db;

    @Option(
            names = "--patches",
            required = true,
            paramLabel = "DIR",
            description = "Folder of patch-MAJOR-MINOR-PATCH.sql files (a Launchpad database/schema folder works as"
                    + " is).")
    Path patches;

    @Option(
            names = "--revision-table",
            defaultValue = EngineSettings.DEFAULT_REVISION_TABLE,
            paramLabel = "NAME",
            description = "Launchpad-compatible revision table (default: ${DEFAULT-VALUE}).")
    String revisionTable;

    @Option(
            names = "--lock-timeout",
            defaultValue = "5s",
            paramLabel = "DURATION",
            description = "lock_timeout for patch statements and the deployment lock (default: ${DEFAULT-VALUE}).")
    String lockTimeout;

    @Option(
            names = "--statement-timeout",
            defaultValue = "5m",
            paramLabel = "DURATION",
            description = "statement_timeout for patch statements, 0 for none (default: ${DEFAULT-VALUE}).")
    String statementTimeout;

    @Option(
            names = "--repeatable",
            split = ",",
            paramLabel = "FILE",
            description = "Scripts of the folder re-applied after the patches (default: ${DEFAULT-VALUE}).")
    List<String> repeatableScripts = EngineSettings.LAUNCHPAD_SCRIPTS;

    @Option(
            names = "--grant",
            paramLabel = "ROLE=TABLE_PRIVS[/SEQUENCE_PRIVS]",
            description = "An application role and the privileges it needs on new tables and sequences, e.g."
                    + " launchpad_main=SELECT,INSERT,UPDATE,DELETE/USAGE (repeatable): applied with the patches;"
                    + " plan lists existing objects it lacks them on.")
    List<String> grants = List.of();

    EngineSettings settings() {
        try {
            return EngineSettings.defaults()
                    .withRevisionTable(revisionTable)
                    .withTimeouts(Durations.parse(lockTimeout), Durations.parse(statementTimeout))
                    .withFollowUps(repeatableScripts, grants());
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, e.getMessage());
        }
    }

    private List<Grant> grants() {
        return grants.stream()
                .map(g -> {
                    int eq = g.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException(
                                "--grant " + g + ": expected ROLE=TABLE_PRIVS[/SEQUENCE_PRIVS]");
                    }
                    String[] kinds = g.substring(eq + 1).split("/", 2);
                    return new Grant(
                            g.substring(0, eq),
                            privileges(kinds[0]),
                            kinds.length > 1 ? privileges(kinds[1]) : List.of());
                })
                .toList();
    }

    private static List<String> privileges(String list) {
        return java.util.Arrays.stream(list.split(","))
                .filter(p -> !p.isBlank())
                .toList();
    }

    Connection connect(String applicationName) throws PatchEngineException {
        return Databases.connect(db, applicationName);
    }

    PatchSet scan(Connection c, EngineSettings settings) throws SQLException {
        int major = Databases.serverVersionNum(c) / 10000;
        try {
            return PatchFolder.scan(patches, settings, major);
        } catch (IOException e) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, e.getMessage());
        }
    }

    static Duration seconds(double s) {
        return Duration.ofMillis(Math.round(s * 1000));
    }
}
