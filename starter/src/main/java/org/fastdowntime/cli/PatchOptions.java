package org.fastdowntime.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.patch.Databases;
import org.fastdowntime.patch.EngineSettings;
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

    EngineSettings settings() {
        try {
            return EngineSettings.defaults()
                    .withRevisionTable(revisionTable)
                    .withTimeouts(Durations.parse(lockTimeout), Durations.parse(statementTimeout));
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, e.getMessage());
        }
    }

    Connection connect(String applicationName) throws PatchEngineException {
        return Databases.connect(db, applicationName);
    }

    PatchSet scan(Connection c, EngineSettings settings) throws SQLException {
        int major = Databases.serverVersionNum(c) / 10000;
        try {
            return PatchFolder.scan(patches, settings.revisionTable(), major);
        } catch (IOException e) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, e.getMessage());
        }
    }

    static Duration seconds(double s) {
        return Duration.ofMillis(Math.round(s * 1000));
    }
}
