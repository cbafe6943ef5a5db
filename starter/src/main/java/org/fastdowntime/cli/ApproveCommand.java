package org.fastdowntime.cli;

import java.util.concurrent.Callable;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.model.QaSignal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "approve",
        mixinStandardHelpOptions = true,
        description = {
            "QA's word on one patch of a window: qaOk (default), qaBad with --reject, or signOff with" + " --sign-off.",
            "The window judges it (only configured approvers count); see the result with 'status'."
        })
final class ApproveCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "WORKFLOW_ID")
    String workflowId;

    @Option(names = "--patch", required = true, paramLabel = "ID")
    String patch;

    @Option(names = "--by", required = true, paramLabel = "NAME")
    String by;

    @Option(names = "--reject", description = "Send qaBad: the patch is left out of this window.")
    boolean reject;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (required with --reject).")
    String reason;

    @Option(names = "--sign-off", description = "Send signOff, for a patch over the per-patch budget.")
    boolean signOff;

    @Option(names = "--note", paramLabel = "TEXT")
    String note;

    @Mixin
    TemporalOptions temporal;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try {
            PatchId.parse(patch);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--patch: " + e.getMessage());
        }
        if (reject && signOff) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--reject and --sign-off exclude each other");
        }
        if (reject && (reason == null || reason.isBlank())) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--reject needs --reason");
        }
        FastDowntimeWorkflow window = temporal.client().newWorkflowStub(FastDowntimeWorkflow.class, workflowId);
        QaSignal signal = new QaSignal(patch, by, note, reason);
        String name = reject ? "qaBad" : signOff ? "signOff" : "qaOk";
        temporal.call(workflowId, () -> {
            switch (name) {
                case "qaBad" -> window.qaBad(signal);
                case "signOff" -> window.signOff(signal);
                default -> window.qaOk(signal);
            }
            return null;
        });
        spec.commandLine().getOut().println("Sent " + name + " for " + patch + " by " + by + " to " + workflowId);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
