package org.fastdowntime.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fastdowntime.activity.Json;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.env.Environments;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.patch.Databases;
import org.fastdowntime.patch.PatchEngineException;
import org.fastdowntime.patch.RevisionStore;
import org.fastdowntime.report.CycleTimeReport;
import org.fastdowntime.report.History;
import org.fastdowntime.report.ReportCharts;
import org.fastdowntime.report.ReportHtml;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "The cycle-time report of an environment, from its own database (fastdowntime.window_history,"
                    + " fastdowntime.patch_landing and fastdowntime.patch_history, which outlive Temporal's"
                    + " history retention): every window with its outage and patches, every patch's lead time"
                    + " (landing to applied), and per week and month p50/p95 lead time and outage, against"
                    + " the 24-hour and 5-minute goals.",
            "--html writes a page with the charts, --png the charts alone; --json prints the figures."
        })
final class ReportCommand implements Callable<Integer> {
    static final class Source {
        @Option(names = "--config", paramLabel = "FILE", description = "The worker's YAML config (with --environment).")
        Path config;

        @Option(
                names = "--db",
                paramLabel = "JDBC_URL",
                description = "The environment's database, instead of a config.")
        String db;
    }

    @ArgGroup(multiplicity = "1")
    Source source;

    @Option(names = "--environment", paramLabel = "NAME", description = "Which environment (required with --config).")
    String environment;

    @Option(names = "--since", paramLabel = "DATE", description = "First day, e.g. 2026-10-01 (default: everything).")
    String since;

    @Option(names = "--html", paramLabel = "FILE", description = "Write the HTML page with the charts here.")
    Path html;

    @Option(names = "--png", paramLabel = "FILE", description = "Write the charts as one PNG here.")
    Path png;

    @Option(names = "--json", description = "Print the figures as one JSON document.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Instant from = Instant.EPOCH;
        if (since != null) {
            try {
                from = LocalDate.parse(since).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--since: not a date (2026-10-01): " + since);
            }
        }
        CycleTimeReport report;
        try (Connection c = connect()) {
            report = CycleTimeReport.of(
                    name(), from, History.windows(c, from), History.patches(c, RevisionStore.HISTORY_TABLE, from));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (html != null) {
            write(html, ReportHtml.render(report).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (png != null) {
            write(png, ReportCharts.combinedPng(report));
        }
        if (json) {
            out.println(Json.write(report));
        } else {
            out.print(text(report));
            if (html != null) {
                out.println("HTML: " + html.toAbsolutePath());
            }
            if (png != null) {
                out.println("PNG: " + png.toAbsolutePath());
            }
        }
        out.flush();
        return 0;
    }

    private String name() {
        return environment != null ? environment : Databases.redact(source.db).replaceAll(".*/([^/?]+).*", "$1");
    }

    private Connection connect() throws PatchEngineException {
        if (source.db != null) {
            return Databases.connect(source.db, "fastdowntime report");
        }
        if (environment == null) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--config needs --environment NAME");
        }
        EnvironmentSettings env = ConfiguredEnvironments.named(source.config, environment);
        return Environments.connect(env, "fastdowntime report");
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "no directory " + parent + " for " + file);
        }
        Files.write(file, bytes);
    }

    static String text(CycleTimeReport r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "Cycle time of %s since %s: %d window(s), %d patch(es)%n",
                r.environment(),
                r.since(),
                r.windows().size(),
                r.patches().size()));
        b.append(String.format(
                Locale.ROOT,
                "%-9s %7s %7s %12s %12s %14s %14s%n",
                "week",
                "windows",
                "patches",
                "lead p50 h",
                "lead p95 h",
                "outage p50 s",
                "outage max s"));
        for (CycleTimeReport.Period p : r.weeks()) {
            b.append(String.format(
                    Locale.ROOT,
                    "%-9s %7d %7d %12.2f %12.2f %14.3f %14.3f%n",
                    p.period(),
                    p.windows(),
                    p.patches(),
                    p.leadP50Hours(),
                    p.leadP95Hours(),
                    p.outageP50Seconds(),
                    p.outageMaxSeconds()));
        }
        for (History.WindowRow w : r.windows()) {
            b.append(String.format(
                    Locale.ROOT,
                    "  %s  %-40s %-18s outage %6d ms  %s%n",
                    w.windowStart(),
                    w.deploymentId(),
                    w.outcome(),
                    w.outageMillis(),
                    w.applied().isEmpty() ? "(nothing applied: rolled back)" : String.join(", ", w.applied())));
        }
        return b.toString();
    }
}
