package org.fastdowntime.sandbox;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fastdowntime.activity.Json;
import org.fastdowntime.cli.CalendarCommand;
import org.fastdowntime.cli.CommandFailure;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.time.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the DowntimeCalendar and the FastDowntime workflow over months of simulated time"
                    + " (Temporal's time-skipping test service, the real worker and activities) on a"
                    + " throwaway database. Patches land at random (seeded) times in working hours, QA"
                    + " approves each after a random (seeded) delay, and the calendar's windows apply them.",
            "Prints the lead time of every patch (landing to applied): p50, p95 and max, in calendar"
                    + " hours and in working hours (weekends and blackout days not counted); the windows run"
                    + " and skipped; each outage's measured duration."
        })
public final class SimulateCommand implements Callable<Integer> {
    @Option(
            names = "--days",
            defaultValue = "90",
            description = "Simulated days of landings (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(
            names = "--slots",
            defaultValue = "Mon-Fri 08:30 UTC",
            paramLabel = "SLOTS",
            description = "Fast slots, e.g. \"Mon,Wed 08:30 Europe/London\"; several separated by ';' (default:"
                    + " ${DEFAULT-VALUE}).")
    String slots;

    @Option(
            names = "--patches-per-week",
            defaultValue = "5",
            paramLabel = "N",
            description = "Mean patches landing per week (default: ${DEFAULT-VALUE}).")
    double patchesPerWeek;

    @Option(
            names = "--qa-within",
            defaultValue = "4h",
            paramLabel = "DURATION",
            description = "QA approves each patch within this long of its landing (default: ${DEFAULT-VALUE}).")
    String qaWithin;

    @Option(
            names = "--fast-lead",
            defaultValue = "75m",
            paramLabel = "DURATION",
            description = "How long before its slot a window's FastDowntime starts (default: ${DEFAULT-VALUE}: QA"
                    + " approves in the approval ledger whenever it is done, so a window need only start before its"
                    + " QA deadline).")
    String fastLead;

    @Option(names = "--blackout", paramLabel = "DATE[..DATE]", description = "Blackout dates (repeatable).")
    List<String> blackouts = List.of();

    @Option(
            names = "--from",
            paramLabel = "DATE",
            description = "First simulated day, at 00:00 UTC (default: today); with --seed, a run repeats exactly.")
    String from;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--patches",
            paramLabel = "DIR",
            description = "Folder whose baseline builds the database (default: the project's patches/).")
    Path patches;

    @picocli.CommandLine.Mixin
    PostgresOption postgres = new PostgresOption();

    @Option(names = "--json", description = "Print the result as one JSON document.")
    boolean json;

    @Option(names = "--verbose", description = "Also show the worker's log of every simulated window (on stderr).")
    boolean verbose;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Simulation.Settings settings = settings();
        Path folder = baselineOnly();
        // Progress goes to stderr; with --json, stdout carries one document only.
        PrintWriter progress = json ? new PrintWriter(System.err, true) : out;
        Simulation.Result result;
        for (String name : verbose ? List.<String>of() : List.of("org.fastdowntime", "fastdowntime.announcements")) {
            if (org.slf4j.LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger l) {
                l.setLevel(ch.qos.logback.classic.Level.WARN); // months of windows would bury the result
            }
        }
        try (ScratchDatabase db = ScratchDatabase.create("fdt_sim", folder, postgres.source(), progress)) {
            progress.printf(
                    "Simulating %d days of %s, %.1f patches/week, QA within %s, seed %d...%n",
                    days, slots, patchesPerWeek, qaWithin, seed);
            progress.flush();
            long t0 = System.nanoTime();
            result = new Simulation(settings, db, folder).run();
            progress.printf(Locale.ROOT, "Simulated in %.1f s of wall time.%n", (System.nanoTime() - t0) / 1e9);
            progress.flush();
        } finally {
            try (var files = Files.list(folder)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(folder);
        }
        out.print(json ? Json.write(result) + "\n" : render(result));
        out.flush();
        return 0;
    }

    /** The options, checked; a bad one exits 2 naming it. */
    private Simulation.Settings settings() {
        if (days < 1 || days > 3660) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--days must be between 1 and 3660");
        }
        if (patchesPerWeek < 0 || patchesPerWeek > 200) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--patches-per-week must be between 0 and 200");
        }
        Duration qa = duration("--qa-within", qaWithin);
        if (qa.compareTo(Duration.ofMinutes(2)) < 0) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--qa-within must be at least 2m");
        }
        duration("--fast-lead", fastLead);
        java.time.Instant start;
        try {
            start = (from == null ? java.time.LocalDate.now(java.time.ZoneOffset.UTC) : java.time.LocalDate.parse(from))
                    .atStartOfDay(java.time.ZoneOffset.UTC)
                    .toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--from: not a date (2027-01-04): " + from);
        }
        var settings = new Simulation.Settings(
                start, days, CalendarCommand.slots(slots), patchesPerWeek, qa, seed, List.copyOf(blackouts), fastLead);
        CalendarCommand.checked(
                new org.fastdowntime.model.CalendarRules(
                        settings.slots(), List.of(), settings.blackouts(), fastLead, null, null),
                "--blackout/--fast-lead");
        return settings;
    }

    /** A folder with the patch folder's baseline only: the simulation's patches land one by one. */
    private Path baselineOnly() throws java.io.IOException {
        Path home =
                patches != null ? patches : Path.of(System.getenv().getOrDefault("FASTDOWNTIME_HOME", "."), "patches");
        Path folder = Files.createTempDirectory("fastdowntime-sim-");
        try (var files = Files.list(home)) {
            // Only the baseline: the simulation's patches land one by one.
            for (Path p : files.filter(p -> p.getFileName().toString().matches("[a-z]+-\\d{4}-00-0\\.sql"))
                    .toList()) {
                Files.copy(p, folder.resolve(p.getFileName()));
            }
        } catch (java.io.IOException e) {
            throw new CommandFailure(
                    ProblemType.BAD_ARGUMENTS, "cannot read the patch folder " + home + ": " + e.getMessage());
        }
        return folder;
    }

    private static Duration duration(String option, String text) {
        try {
            return Durations.parse(text);
        } catch (RuntimeException e) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, option + ": " + e.getMessage());
        }
    }

    static String render(Simulation.Result r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Simulated %s .. %s%n", r.from(), r.to()));
        b.append(String.format(
                Locale.ROOT,
                "Patches: %d landed, %d applied, %d not applied by the end%n",
                r.patches().size(),
                r.patches().size() - r.unapplied(),
                r.unapplied()));
        b.append(String.format(Locale.ROOT, "Lead time, landing -> applied (hours):%n"));
        b.append(String.format(
                Locale.ROOT,
                "  calendar hours  p50 %6.1f  p95 %6.1f  max %6.1f%n",
                r.calendarHours().p50(),
                r.calendarHours().p95(),
                r.calendarHours().max()));
        b.append(String.format(
                Locale.ROOT,
                "  working hours   p50 %6.1f  p95 %6.1f  max %6.1f   (goal: 24 h)%n",
                r.workingHours().p50(),
                r.workingHours().p95(),
                r.workingHours().max()));
        b.append(String.format(
                Locale.ROOT,
                "Windows: %d slots, %d with a FastDowntime, %d skipped by the calendar; %s%n",
                r.windows().size(),
                r.windowsRun(),
                r.windowsSkipped(),
                r.windowStates()));
        b.append("Outages:\n");
        for (Simulation.Window w : r.windows()) {
            if (w.outageMillis() != null) {
                b.append(String.format(
                        Locale.ROOT,
                        "  %s  %s  %d ms  %s%n",
                        w.start(),
                        w.state(),
                        w.outageMillis(),
                        String.join(", ", w.applied())));
            }
        }
        return b.toString();
    }
}
