package org.fastdowntime.cli;

import java.util.concurrent.Callable;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.model.AbortSignal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "abort",
        mixinStandardHelpOptions = true,
        description = "Stops a window: before the outage nothing happens; during it, the patches roll back and"
                + " the gate reopens; after the commit it is too late (the status says so).")
final class AbortCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "WORKFLOW_ID")
    String workflowId;

    @Option(names = "--reason", required = true, paramLabel = "TEXT")
    String reason;

    @Option(names = "--by", required = true, paramLabel = "NAME")
    String by;

    @Mixin
    TemporalOptions temporal;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        FastDowntimeWorkflow window = temporal.workflow(FastDowntimeWorkflow.class, workflowId);
        temporal.call(workflowId, () -> {
            window.abort(new AbortSignal(reason, by));
            return null;
        });
        spec.commandLine().getOut().println("Sent abort by " + by + " to " + workflowId);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
