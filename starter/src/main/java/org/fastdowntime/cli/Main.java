package org.fastdowntime.cli;

import org.fastdowntime.sandbox.BenchCommand;
import org.fastdowntime.sandbox.DemoCommand;
import org.fastdowntime.sandbox.SimulateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./fastdowntime}: one launcher for every role — DBA, release manager, QA engineer, worker
 * operator.
 */
@Command(
        name = "fastdowntime",
        mixinStandardHelpOptions = true,
        version = "fastdowntime 0.1.0",
        description = "Deploys PostgreSQL schema patches in short, fully automated downtime windows.",
        subcommands = {
            PlanCommand.class,
            TimePatchesCommand.class,
            ApplyLiveCommand.class,
            WorkerCommand.class,
            DevServerCommand.class,
            StartCommand.class,
            ApproveCommand.class,
            StatusCommand.class,
            AbortCommand.class,
            DemoCommand.class,
            BenchCommand.class,
            SignalCommand.class,
            LandingCheckCommand.class,
            CalendarCommand.class,
            SimulateCommand.class,
            ReportCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this in-process). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new Failures());
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
