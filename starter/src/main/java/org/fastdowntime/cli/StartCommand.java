package org.fastdowntime.cli;

import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.model.FastDowntimeRequest;
import org.fastdowntime.model.ProblemType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "start",
        mixinStandardHelpOptions = true,
        description = "Starts a downtime workflow and prints its workflow id.",
        subcommands = {StartCommand.FastDowntime.class, StartCommand.Monthly.class, StartFleet.class})
final class StartCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "say which workflow: fast-downtime, monthly or fleet-downtime");
    }

    @Command(
            name = "fast-downtime",
            mixinStandardHelpOptions = true,
            description = "Starts a FastDowntime window. Its id is fast-downtime-ENV-WHEN, so one slot cannot be"
                    + " started twice.")
    static final class FastDowntime implements Callable<Integer> {
        @Option(names = "--environment", required = true, paramLabel = "NAME")
        String environment;

        @Option(
                names = "--at",
                defaultValue = "now",
                paramLabel = "ISO-8601|now",
                description =
                        "Window start, e.g. 2026-12-01T08:30:00Z; 'now' = the quiesce lead after QA is done (default).")
        String at;

        @Option(names = "--patch", paramLabel = "ID", description = "Only these cold patches (repeatable).")
        List<String> patches = List.of();

        @Mixin
        TemporalOptions temporal;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Ids.parse(patches);
            java.time.Instant when = StartedWindow.at(at); // null for 'now': when QA is done
            String id = when == null
                    ? FastDowntimeWorkflow.workflowIdNow(
                            environment, UUID.randomUUID().toString().substring(0, 8))
                    : FastDowntimeWorkflow.workflowId(environment, when);
            if (temporal.config != null) {
                ConfiguredEnvironments.named(temporal.config, environment);
            }
            FastDowntimeWorkflow window = temporal.client()
                    .newWorkflowStub(
                            FastDowntimeWorkflow.class,
                            StartedWindow.options(
                                    temporal,
                                    id,
                                    "Fast downtime of " + environment + " at " + at,
                                    "Patches: "
                                            + (patches.isEmpty()
                                                    ? "every pending cold patch"
                                                    : String.join(", ", patches))
                                            + ". QA approves with signals qaOk / qaBad / signOff; abort with signal"
                                            + " abort."));
            FastDowntimeRequest request = new FastDowntimeRequest(environment, at, patches);
            temporal.call(id, () -> WorkflowClient.start(window::run, request));
            if (StartedWindow.announceStart(temporal, id, spec.commandLine())) {
                temporal.call(id, () -> StartedWindow.shortLeads(window, Duration.ofSeconds(10)))
                        .forEach(w -> spec.commandLine().getErr().println("warning: short notice: " + w + "."));
            }
            return 0;
        }
    }

    @Command(
            name = "monthly",
            mixinStandardHelpOptions = true,
            description = "Starts a MonthlyDowntime; its id is monthly-downtime-ENV-MAIN.")
    static final class Monthly implements Callable<Integer> {
        @Option(names = "--environment", required = true, paramLabel = "NAME")
        String environment;

        @Option(names = "--main", required = true, paramLabel = "ISO-8601", description = "Main window start.")
        String main;

        @Option(names = "--backup", required = true, paramLabel = "ISO-8601", description = "Backup window start.")
        String backup;

        @Option(
                names = "--db-stable",
                paramLabel = "REV",
                description = "db-stable branch or revision (default: configured).")
        String dbStable;

        @Option(names = "--party", paramLabel = "NAME", description = "Confirming parties (default: all configured).")
        List<String> parties = List.of();

        @Option(names = "--cowboy", paramLabel = "NAME", description = "Production hot-fixes to account for.")
        List<String> cowboys = List.of();

        @Mixin
        TemporalOptions temporal;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            String id;
            try {
                id = org.fastdowntime.monthly.MonthlyDowntimeWorkflow.workflowId(
                        environment, OffsetDateTime.parse(main).toInstant());
                OffsetDateTime.parse(backup);
            } catch (DateTimeParseException e) {
                throw new CommandFailure(
                        ProblemType.BAD_ARGUMENTS, "--main and --backup must be ISO-8601 times with offset");
            }
            org.fastdowntime.monthly.MonthlyDowntimeWorkflow wf = temporal.client()
                    .newWorkflowStub(
                            org.fastdowntime.monthly.MonthlyDowntimeWorkflow.class,
                            WorkflowOptions.newBuilder()
                                    .setTaskQueue(temporal.taskQueue())
                                    .setWorkflowId(id)
                                    .setWorkflowIdReusePolicy(
                                            WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY)
                                    .setStaticSummary("Monthly downtime of "
                                            + environment
                                            + " at "
                                            + main
                                            + " (backup "
                                            + backup
                                            + ")")
                                    .build());
            org.fastdowntime.model.MonthlyDowntimeRequest request = new org.fastdowntime.model.MonthlyDowntimeRequest(
                    environment, main, backup, dbStable, parties, cowboys);
            temporal.call(id, () -> WorkflowClient.start(wf::run, request));
            spec.commandLine().getOut().println(id);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
