package org.fastdowntime.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.fastdowntime.activity.Json;
import org.fastdowntime.downtime.Seal;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.model.FastDowntimeStatus;
import org.fastdowntime.model.FastStage;
import org.fastdowntime.model.PatchQaStatus;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.model.SignalRecord;
import org.fastdowntime.model.TimelineEvent;
import org.fastdowntime.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description =
                "A window's stage, patches with their QA state, signals received and timeline (the status" + " query).")
final class StatusCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "WORKFLOW_ID")
    String workflowId;

    @Option(names = "--json", description = "Print the status query's JSON.")
    boolean json;

    @Option(
            names = "--wait",
            description = "Wait until the window has ended, then print its status; exits 43 when it failed, was"
                    + " aborted or cancelled.")
    boolean waitForEnd;

    @Mixin
    TemporalOptions temporal;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (isFleetWindow()) {
            return fleet();
        }
        FastDowntimeWorkflow window = temporal.workflow(FastDowntimeWorkflow.class, workflowId);
        FastDowntimeStatus s = read(window::status, x -> x.stage().terminal());
        spec.commandLine().getOut().print(json ? Json.write(s) + "\n" : render(workflowId, s));
        spec.commandLine().getOut().flush();
        boolean failed =
                s.stage() == FastStage.FAILED || s.stage() == FastStage.ABORTED || s.stage() == FastStage.CANCELLED;
        return waitForEnd && failed ? ProblemType.WINDOW_FAILED.exitCode() : 0;
    }

    /**
     * Whether the window is a FleetDowntime: by the id the CLI gives it, else (a window started from the UI under
     * another id) by its type, asked of Temporal.
     */
    private boolean isFleetWindow() {
        if (workflowId.startsWith("fleet-downtime-") || workflowId.startsWith("fast-downtime-")) {
            return workflowId.startsWith("fleet-downtime-");
        }
        return temporal.call(
                workflowId,
                () -> org.fastdowntime.fleet.FleetDowntimeWorkflow.TYPE.equals(temporal.client()
                        .getWorkflowServiceStubs()
                        .blockingStub()
                        .describeWorkflowExecution(
                                io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder()
                                        .setNamespace(temporal.namespace())
                                        .setExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder()
                                                .setWorkflowId(workflowId))
                                        .build())
                        .getWorkflowExecutionInfo()
                        .getType()
                        .getName()));
    }

    /** The status query's answer; with {@code --wait}, asked every 0.5 s until {@code ended} says so. */
    private <S> S read(java.util.function.Supplier<S> query, java.util.function.Predicate<S> ended) {
        S s = temporal.call(workflowId, query);
        while (waitForEnd && !ended.test(s)) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            s = temporal.call(workflowId, query);
        }
        return s;
    }

    /** A fleet window (its id starts fleet-downtime-): the member table. */
    private int fleet() {
        var window = temporal.workflow(org.fastdowntime.fleet.FleetDowntimeWorkflow.class, workflowId);
        org.fastdowntime.model.FleetStatus s =
                read(window::status, x -> x.stage().terminal());
        spec.commandLine().getOut().print(json ? Json.write(s) + "\n" : FleetStatusView.render(workflowId, s));
        spec.commandLine().getOut().flush();
        var stage = s.stage();
        boolean failed = stage == org.fastdowntime.model.FleetStage.FAILED
                || stage == org.fastdowntime.model.FleetStage.ABORTED
                || stage == org.fastdowntime.model.FleetStage.CANCELLED;
        return waitForEnd && failed ? ProblemType.WINDOW_FAILED.exitCode() : 0;
    }

    static String render(String id, FastDowntimeStatus s) {
        StringBuilder b = new StringBuilder();
        header(b, id, s);
        b.append("Patches:\n");
        for (PatchQaStatus p : s.patches()) {
            String staging = p.stagingSeconds() == null
                    ? ""
                    : String.format(
                            Locale.ROOT,
                            " staging %.1f s%s",
                            p.stagingSeconds(),
                            p.needsSignOff() ? " (needs sign-off)" : "");
            b.append(String.format(
                    Locale.ROOT,
                    "  %s  %-14s%s%s%s%s%n",
                    p.id(),
                    p.state(),
                    p.qaBy() == null ? "" : " qa " + p.qaBy(),
                    p.signedOffBy() == null ? "" : " signed off by " + p.signedOffBy(),
                    staging,
                    p.note() == null ? "" : " — " + p.note()));
        }
        if (!s.signals().isEmpty()) {
            b.append("Signals:\n");
            for (SignalRecord r : s.signals()) {
                b.append(String.format(
                        "  %s %s by %s%s: %s%s%n",
                        r.at(),
                        r.signal(),
                        r.by(),
                        r.patch() == null ? "" : " for " + r.patch(),
                        r.accepted() ? "" : "REJECTED: ",
                        r.reason()));
            }
        }
        b.append("Timeline:\n");
        for (TimelineEvent e : s.timeline()) {
            b.append("  ").append(e.at()).append(' ').append(e.shown()).append('\n');
        }
        return b.toString();
    }

    /** The window's id, stage, times, how it ended and its outage. */
    private static void header(StringBuilder b, String id, FastDowntimeStatus s) {
        b.append(id + ": " + s.stage() + " (" + s.environment() + ")\n");
        if (s.windowStart() != null) {
            b.append("  window " + s.windowStart() + (s.qaDeadline() == null ? "" : ", QA deadline " + s.qaDeadline())
                    + "\n");
        }
        if (s.failureType() != null) {
            b.append("  failure " + s.failureType() + ": " + s.message() + "\n");
        } else if (s.message() != null) {
            b.append("  " + s.message() + "\n");
        }
        s.warnings().forEach(w -> b.append("  warning: " + w + "\n"));
        if (s.bundle() != null) {
            b.append("  " + Seal.said(s.bundle()) + " Bundle SHA-256 "
                    + s.bundle().sha256() + "\n");
        }
        if (s.outage() != null) {
            b.append(String.format(
                    Locale.ROOT,
                    "  outage %s (gate %s), patches %.2f s, %d session(s) terminated%n",
                    Clock.format(java.time.Duration.ofMillis(s.outage().outageMillis())),
                    s.outage().gate(),
                    s.outage().patchSeconds(),
                    s.outage().sessionsKicked()));
        }
    }
}
