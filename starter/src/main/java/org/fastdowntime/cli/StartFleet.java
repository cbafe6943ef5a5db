package org.fastdowntime.cli;

import io.temporal.client.WorkflowClient;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.fastdowntime.fleet.FleetDowntimeWorkflow;
import org.fastdowntime.model.FleetDowntimeRequest;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "fleet-downtime",
        mixinStandardHelpOptions = true,
        description = "Starts a FleetDowntime window over every member of a fleet: one QA (the ledger of the fleet's"
                + " environment), one rehearsal, one quiesce, then each member's outage in waves or atomically. Its id"
                + " is fleet-downtime-FLEET-WHEN.")
final class StartFleet implements Callable<Integer> {
    @Option(names = "--fleet", required = true, paramLabel = "NAME")
    String fleet;

    @Option(
            names = "--at",
            defaultValue = "now",
            paramLabel = "ISO-8601|now",
            description = "Window start, e.g. 2026-12-08T06:00:00Z; 'now' = as soon as QA is done (default).")
    String at;

    @Option(
            names = "--mode",
            paramLabel = "waves|atomic",
            description = "Overrides the fleet's configured mode for this window.")
    String mode;

    @Option(
            names = "--parallelism",
            paramLabel = "N",
            description = "Overrides the fleet's configured parallelism for this window.")
    Integer parallelism;

    @Mixin
    TemporalOptions temporal;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Instant when = StartedWindow.at(at);
        // The window's own check of its input, said before anything starts.
        FleetDowntimeRequest request = new FleetDowntimeRequest(fleet, at, mode, parallelism);
        if (request.invalid() != null) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, request.invalid());
        }
        String id = FleetDowntimeWorkflow.workflowId(
                fleet, when == null ? "now-" + UUID.randomUUID().toString().substring(0, 8) : Clock.compact(when));
        FleetDowntimeWorkflow window = temporal.client()
                .newWorkflowStub(
                        FleetDowntimeWorkflow.class,
                        StartedWindow.options(
                                temporal,
                                id,
                                "Fleet downtime of " + fleet + " at " + at,
                                "QA: approve in the approval ledger of the fleet's environment (approve --environment"
                                        + " ENV); abort with signal abort."));
        temporal.call(id, () -> WorkflowClient.start(window::run, request));
        StartedWindow.announceStart(temporal, id, spec.commandLine());
        return 0;
    }
}
