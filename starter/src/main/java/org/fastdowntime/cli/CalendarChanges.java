package org.fastdowntime.cli;

import io.temporal.client.WorkflowUpdateException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.fastdowntime.calendar.DowntimeCalendarWorkflow;
import org.fastdowntime.model.CalendarChange;
import org.fastdowntime.model.CalendarWindow;
import org.fastdowntime.model.ProblemType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The calendar's changes, each one command (add, cancel or move a window; blackouts; pause and resume), each an
 * update the calendar validates before it changes anything: a refusal is reported with its reason and exits
 * non-zero.
 */
final class CalendarChanges {
    private CalendarChanges() {}

    /** What every change shares: the environment, who asks, and how a refusal is reported. */
    static final class ChangeOptions {
        @Option(names = "--environment", required = true, paramLabel = "NAME")
        String environment;

        @Option(
                names = "--by",
                required = true,
                paramLabel = "NAME",
                description = "Who makes the change (must be a configured approver or sign-off approver).")
        String by;

        @Mixin
        TemporalOptions temporal;

        int apply(PrintWriter out, Function<DowntimeCalendarWorkflow, Object> change) {
            String id = DowntimeCalendarWorkflow.workflowId(environment);
            DowntimeCalendarWorkflow cal = temporal.workflow(DowntimeCalendarWorkflow.class, id);
            Object result;
            try {
                result = temporal.call(id, () -> change.apply(cal));
            } catch (WorkflowUpdateException | HttpWorkflows.UpdateRefused e) {
                throw new CommandFailure(
                        ProblemType.CHANGE_REFUSED, id + " refused the change: " + TemporalOptions.refusal(e));
            }
            out.println(
                    result instanceof CalendarWindow w ? CalendarCommand.line(w).trim() : String.valueOf(result));
            out.flush();
            return 0;
        }
    }

    @Command(name = "add-window", mixinStandardHelpOptions = true, description = "Adds a window by hand.")
    static final class AddWindow implements Callable<Integer> {
        @Mixin
        ChangeOptions change;

        @Option(names = "--at", required = true, paramLabel = "ISO-8601")
        String at;

        @Option(names = "--kind", defaultValue = "FAST", description = "FAST or MONTHLY (default: ${DEFAULT-VALUE}).")
        String kind;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return change.apply(
                    spec.commandLine().getOut(), cal -> cal.addWindow(CalendarChange.addWindow(kind, at, change.by)));
        }
    }

    @Command(
            name = "cancel",
            mixinStandardHelpOptions = true,
            description = "Cancels the window that starts at --at (an announced one only with 24 h notice).")
    static final class Cancel implements Callable<Integer> {
        @Mixin
        ChangeOptions change;

        @Option(names = "--at", required = true, paramLabel = "ISO-8601")
        String at;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return change.apply(
                    spec.commandLine().getOut(), cal -> cal.cancelWindow(CalendarChange.cancelWindow(at, change.by)));
        }
    }

    @Command(
            name = "move",
            mixinStandardHelpOptions = true,
            description = "Moves the window that starts at --at to --to (no overlap, not in the past, 24 h notice"
                    + " if announced).")
    static final class Move implements Callable<Integer> {
        @Mixin
        ChangeOptions change;

        @Option(names = "--at", required = true, paramLabel = "ISO-8601")
        String at;

        @Option(names = "--to", required = true, paramLabel = "ISO-8601")
        String to;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return change.apply(
                    spec.commandLine().getOut(), cal -> cal.moveWindow(CalendarChange.moveWindow(at, to, change.by)));
        }
    }

    @Command(
            name = "blackout",
            mixinStandardHelpOptions = true,
            description = "Adds a blackout: no window opens on these dates (the slot's local dates).")
    static final class Blackout implements Callable<Integer> {
        @Mixin
        ChangeOptions change;

        @Option(names = "--from", required = true, paramLabel = "DATE")
        String from;

        @Option(names = "--to", paramLabel = "DATE", description = "Last day, inclusive (default: --from).")
        String to;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return change.apply(
                    spec.commandLine().getOut(),
                    cal -> "Blackout " + cal.addBlackout(CalendarChange.blackout(from, to, change.by)) + " added");
        }
    }

    @Command(name = "unblackout", mixinStandardHelpOptions = true, description = "Removes a blackout.")
    static final class Unblackout implements Callable<Integer> {
        @Mixin
        ChangeOptions change;

        @Option(names = "--from", required = true, paramLabel = "DATE")
        String from;

        @Option(names = "--to", paramLabel = "DATE")
        String to;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return change.apply(
                    spec.commandLine().getOut(),
                    cal -> "Blackout " + cal.removeBlackout(CalendarChange.blackout(from, to, change.by)) + " removed");
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pauses the calendar: slots are skipped.")
    static final class Pause implements Callable<Integer> {
        @Mixin
        ChangeOptions change;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return change.apply(spec.commandLine().getOut(), cal -> cal.pause(CalendarChange.by(change.by)));
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resumes a paused calendar.")
    static final class Resume implements Callable<Integer> {
        @Mixin
        ChangeOptions change;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return change.apply(spec.commandLine().getOut(), cal -> cal.resume(CalendarChange.by(change.by)));
        }
    }
}
