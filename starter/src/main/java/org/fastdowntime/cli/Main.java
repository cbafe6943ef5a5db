package org.fastdowntime.cli;

import java.util.ArrayList;
import java.util.List;
import org.fastdowntime.bench.BenchCommand;
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
        description = "Deploys PostgreSQL schema patches in short, fully automated downtime windows.")
public final class Main implements Runnable {
    /**
     * The subcommands in the order help lists them. A command line that names one builds only that
     * one: picocli reads every option of every command it is given, and a client command such as
     * {@code status} should not pay for the others (help and a bad name get them all).
     */
    private static final List<Class<?>> SUBCOMMANDS = List.of(
            PlanCommand.class,
            TimePatchesCommand.class,
            ApplyLiveCommand.class,
            ApplyCommand.class,
            WorkerCommand.class,
            DevServerCommand.class,
            StartCommand.class,
            ApproveCommand.class,
            ApprovalsCommand.class,
            QaRevisionCommand.class,
            StatusCommand.class,
            ListCommand.class,
            AbortCommand.class,
            DemoCommand.class,
            BenchCommand.class,
            SignalCommand.class,
            LandingCheckCommand.class,
            CalendarCommand.class,
            SimulateCommand.class,
            ReportCommand.class,
            CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code. */
    public static int run(String... args) {
        return commandLine(args).execute(args);
    }

    /**
     * The command line for {@code args}: with only the subcommand {@code args[0]} names when it
     * names one, else with all. When the command returns, every mixin or command of it that holds
     * something to close (a Temporal client's channel) is closed.
     */
    static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new Main());
        Class<?> only = args.length == 0 ? null : named(args[0]);
        for (Class<?> c : only == null ? SUBCOMMANDS : List.of(only)) {
            cl.addSubcommand(c);
        }
        // Options that take a word of a fixed set are enums; users type them in lower case ("--gate native").
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler(new Failures());
        cl.setExecutionStrategy(parsed -> {
            try {
                return new CommandLine.RunLast().execute(parsed);
            } finally {
                close(parsed);
            }
        });
        return cl;
    }

    private static Class<?> named(String name) {
        for (Class<?> c : SUBCOMMANDS) {
            Command command = c.getAnnotation(Command.class);
            if (command.name().equals(name) && c != CommandLine.HelpCommand.class) {
                return c;
            }
        }
        return null;
    }

    private static void close(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            List<Object> held = new ArrayList<>();
            held.add(p.commandSpec().userObject());
            p.commandSpec().mixins().values().forEach(m -> held.add(m.userObject()));
            for (Object o : held) {
                if (o instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        p.commandSpec().commandLine().getErr().println("fastdowntime: closing: " + e);
                    }
                }
            }
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
