package org.fastdowntime.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks.",
        subcommands = {
            DowntimeBench.class,
            ApplyBench.class,
            StartupBench.class,
            ApprovalBench.class,
            PoolBench.class,
            FleetBench.class
        })
public final class BenchCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "say which benchmark: downtime, apply or startup");
    }

    /** Cores, heap and Java of the machine a benchmark ran on. */
    static String machine() {
        return Runtime.getRuntime().availableProcessors()
                + " cores, "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                + " MiB max heap, Java "
                + System.getProperty("java.version");
    }
}
