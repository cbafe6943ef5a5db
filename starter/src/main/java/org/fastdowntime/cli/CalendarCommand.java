package org.fastdowntime.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fastdowntime.activity.Json;
import org.fastdowntime.calendar.DowntimeCalendarWorkflow;
import org.fastdowntime.calendar.Slots;
import org.fastdowntime.model.CalendarRequest;
import org.fastdowntime.model.CalendarRules;
import org.fastdowntime.model.CalendarView;
import org.fastdowntime.model.CalendarWindow;
import org.fastdowntime.model.ProblemType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "calendar",
        mixinStandardHelpOptions = true,
        description = "The DowntimeCalendar of an environment (workflow id downtime-calendar-ENV): the timers"
                + " that open fast and monthly windows by themselves.",
        subcommands = {
            CalendarCommand.Start.class,
            CalendarCommand.Show.class,
            CalendarChanges.AddWindow.class,
            CalendarChanges.Cancel.class,
            CalendarChanges.Move.class,
            CalendarChanges.Blackout.class,
            CalendarChanges.Unblackout.class,
            CalendarChanges.Pause.class,
            CalendarChanges.Resume.class
        })
public final class CalendarCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(),
                "say what to do: start, show, add-window, cancel, move, blackout, unblackout, pause or" + " resume");
    }

    private static final ObjectMapper RULES =
            new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * A rules file (YAML or JSON, the workflow input's {@code rules}), checked before anything is
     * started.
     */
    static CalendarRules readRules(Path file) {
        CalendarRules rules;
        try {
            rules = RULES.readValue(Files.readString(file), CalendarRules.class);
        } catch (JsonProcessingException e) {
            throw new CommandFailure(
                    ProblemType.BAD_ARGUMENTS,
                    file
                            + ": "
                            + e.getOriginalMessage()
                            + (e.getLocation() == null
                                    ? ""
                                    : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "cannot read " + file + ": " + e.getMessage());
        }
        if (rules == null) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, file + " is empty");
        }
        return checked(rules, file.toString());
    }

    public static CalendarRules checked(CalendarRules rules, String where) {
        try {
            Slots.validate(rules);
        } catch (RuntimeException e) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, where + ": " + e.getMessage());
        }
        return rules;
    }

    public static List<CalendarRules.FastSlot> slots(String text) {
        try {
            return Slots.parseFastSlots(text);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--slots: " + e.getMessage());
        }
    }

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = "Starts the calendar of an environment (once: a second start is refused while it runs).")
    static final class Start implements Callable<Integer> {
        @Option(names = "--environment", required = true, paramLabel = "NAME")
        String environment;

        @Option(
                names = "--rules",
                paramLabel = "FILE",
                description = "Rules, YAML or JSON: fastSlots, monthly, blackouts, fastLead, monthlyLead, horizonDays,"
                        + " fleet (default: Launchpad's, weekdays 08:30 UTC).")
        Path rulesFile;

        @Option(
                names = "--fleet",
                paramLabel = "NAME",
                description = "The fast slots open fleet windows of NAME (whose environment this calendar is) instead"
                        + " of fast windows of the environment.")
        String fleet;

        @Option(
                names = "--slots",
                paramLabel = "SLOTS",
                description = "Fast slots instead of the rules file's, e.g. \"Mon-Fri 08:30 UTC\"; several separated"
                        + " by ';'.")
        String slots;

        @Mixin
        TemporalOptions temporal;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            CalendarRules rules = rulesFile == null ? CalendarRules.launchpad() : readRules(rulesFile);
            if (slots != null) {
                rules = checked(
                        new CalendarRules(
                                slots(slots),
                                rules.monthly(),
                                rules.blackouts(),
                                rules.fastLead(),
                                rules.monthlyLead(),
                                rules.horizonDays(),
                                rules.fleet()),
                        "--slots");
            }
            if (fleet != null) {
                rules = rules.forFleet(fleet);
            }
            String id = DowntimeCalendarWorkflow.workflowId(environment);
            DowntimeCalendarWorkflow cal = temporal.client()
                    .newWorkflowStub(
                            DowntimeCalendarWorkflow.class,
                            WorkflowOptions.newBuilder()
                                    .setTaskQueue(temporal.taskQueue())
                                    .setWorkflowId(id)
                                    .setWorkflowIdReusePolicy(
                                            WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                                    .setStaticSummary("Downtime calendar of " + environment)
                                    .setStaticDetails("Updates: addWindow, cancelWindow, moveWindow, addBlackout,"
                                            + " removeBlackout, pause, resume. Query: upcoming(N).")
                                    .build());
            CalendarRequest request = new CalendarRequest(environment, rules, null);
            temporal.call(id, () -> WorkflowClient.start(cal::run, request));
            spec.commandLine().getOut().println(id);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "The next windows with their state, the recent ones and the calendar's counters (query"
                    + " upcoming).")
    static final class Show implements Callable<Integer> {
        @Option(names = "--environment", required = true, paramLabel = "NAME")
        String environment;

        @Option(
                names = "--count",
                defaultValue = "10",
                description = "How many upcoming windows (default: ${DEFAULT-VALUE}).")
        int count;

        @Option(names = "--json", description = "Print the query's JSON.")
        boolean json;

        @Mixin
        TemporalOptions temporal;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (count < 1) {
                throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--count must be at least 1");
            }
            String id = DowntimeCalendarWorkflow.workflowId(environment);
            DowntimeCalendarWorkflow cal = temporal.workflow(DowntimeCalendarWorkflow.class, id);
            CalendarView view = temporal.call(id, () -> cal.upcoming(count));
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? Json.write(view) + "\n" : render(id, view));
            out.flush();
            return 0;
        }
    }

    static String render(String id, CalendarView v) {
        StringBuilder b = new StringBuilder();
        b.append(id)
                .append(v.paused() ? ": PAUSED" : ": running")
                .append(String.format(
                        Locale.ROOT,
                        " (%d window(s) started, %d skipped, run %d)%n",
                        v.windowsRun(),
                        v.windowsSkipped(),
                        v.generation() + 1));
        if (!v.blackouts().isEmpty()) {
            b.append("Blackouts: ").append(String.join(", ", v.blackouts())).append('\n');
        }
        b.append("Upcoming:\n");
        v.upcoming().forEach(w -> b.append(line(w)));
        if (!v.recent().isEmpty()) {
            b.append("Recent:\n");
            v.recent().forEach(w -> b.append(line(w)));
        }
        return b.toString();
    }

    static String line(CalendarWindow w) {
        return String.format(
                Locale.ROOT,
                "  %s  %-7s %-17s%s%s%s%n",
                w.start(),
                w.kind(),
                w.state(),
                w.backup() == null ? "" : " backup " + w.backup(),
                w.workflowId() == null ? "" : " " + w.workflowId(),
                w.note() == null ? "" : " — " + w.note());
    }
}
