package org.fastdowntime.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fastdowntime.cli.CommandFailure;
import org.fastdowntime.model.ProblemType;
import picocli.CommandLine.Option;

/** The downtime benchmark's options, with their checks: what was wrong is said by option. */
final class DowntimeOptions {
    /** Which gate the outage closes. */
    enum Gate {
        NATIVE,
        PGBOUNCER;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What loads the database during a repeat. */
    enum LoadKind {
        /** The project's client threads, reconnecting. */
        THREADS,
        /** The real pgbench, TPC-B-like; a terminated client is aborted, as pgbench does. */
        PGBENCH;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** How the hand-written outage runs. */
    enum Baseline {
        /** With its sessions opened beforehand. */
        SESSION,
        /** One psql process per step, as a shell script runs it (pgbouncer's gate only). */
        SCRIPT;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Reads a word of {@code type} as typed, in any case; refuses others naming the choices in lower case. */
    static <E extends Enum<E>> E word(Class<E> type, String text) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(text)) {
                return e;
            }
        }
        throw new picocli.CommandLine.TypeConversionException(String.join(
                        " or ",
                        java.util.Arrays.stream(type.getEnumConstants())
                                .map(e -> e.name().toLowerCase(java.util.Locale.ROOT))
                                .toList())
                + ", not '" + text + "'");
    }

    static final class GateWord implements picocli.CommandLine.ITypeConverter<Gate> {
        @Override
        public Gate convert(String text) {
            return word(Gate.class, text);
        }
    }

    static final class LoadWord implements picocli.CommandLine.ITypeConverter<LoadKind> {
        @Override
        public LoadKind convert(String text) {
            return word(LoadKind.class, text);
        }
    }

    static final class BaselineWord implements picocli.CommandLine.ITypeConverter<Baseline> {
        @Override
        public Baseline convert(String text) {
            return word(Baseline.class, text);
        }
    }

    @Option(
            names = "--gate",
            converter = GateWord.class,
            defaultValue = "native",
            description = "native or pgbouncer (default: ${DEFAULT-VALUE}).")
    Gate gate;

    @Option(names = "--clients", defaultValue = "50", description = "Client threads (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(
            names = "--seconds",
            defaultValue = "6",
            description = "Client run time per repeat (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--repeat", defaultValue = "3", description = "Repeats (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(
            names = "--patches",
            paramLabel = "DIR",
            description = "Patch folder (default: the project's patches/,"
                    + " whose 5 small cold patches are applied in the outage).")
    Path patches;

    @Option(
            names = "--pool-size",
            defaultValue = "20",
            description = "pgbouncer default_pool_size (default: ${DEFAULT-VALUE}).")
    int poolSize;

    @Option(
            names = "--load",
            converter = LoadWord.class,
            defaultValue = "threads",
            description = "threads (the project's client threads, reconnecting) or pgbench (the real pgbench,"
                    + " TPC-B-like; a terminated client is aborted, as pgbench does) (default: ${DEFAULT-VALUE}).")
    LoadKind load;

    @Option(names = "--scale", defaultValue = "10", description = "pgbench scale (default: ${DEFAULT-VALUE}).")
    int scale;

    @Option(
            names = "--baseline",
            converter = BaselineWord.class,
            arity = "0..1",
            fallbackValue = "session",
            paramLabel = "session|script",
            description = "Also run the hand-written outage for the gate in each repeat, under the same load,"
                    + " alternating with fastdowntime's, and report both and their ratio: with its sessions"
                    + " opened beforehand (session, the default), or, for the pgbouncer gate, one psql process"
                    + " per step as a shell script runs it (script).")
    Baseline baseline;

    @Option(
            names = "--db-cpus",
            paramLabel = "LIST",
            description = "Run the database side (PostgreSQL, pgbouncer, pgbench) on these CPUs (e.g. 1 or 2-3)"
                    + " and this process (the worker, the Temporal service, the hand-written outage's psql) on"
                    + " the others, as when the worker runs on another machine than the database; needs --load"
                    + " pgbench. Default: everything shares every CPU.")
    String dbCpus;

    @Option(
            names = "--standbys",
            defaultValue = "0",
            paramLabel = "N",
            description = "Streaming standbys of the cluster, each with its pgbouncer and readers through the window;"
                    + " reports per standby refused connections, failed reads, the longest read and its catch-up"
                    + " (default: ${DEFAULT-VALUE}).")
    int standbys;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    /** Checks the options together. */
    void check() {
        if (clients < 1 || repeat < 1 || seconds < 6 || scale < 1) {
            throw new CommandFailure(
                    ProblemType.BAD_ARGUMENTS,
                    "--clients, --repeat and --scale must be >= 1, --seconds >= 6"
                            + " (the window starts half-way, after QA, quiesce, preflight and arming)");
        }
        if (baseline == Baseline.SCRIPT && gate != Gate.PGBOUNCER) {
            throw new CommandFailure(
                    ProblemType.BAD_ARGUMENTS,
                    "--baseline script is for the pgbouncer gate: once the native gate is closed, a psql started"
                            + " afterwards cannot connect; the hand-written native outage opens its session"
                            + " before (--baseline session)");
        }
        if (standbys < 0 || standbys > 8) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--standbys: 0 to 8, not " + standbys);
        }
        if (dbCpus != null && load != LoadKind.PGBENCH) {
            throw new CommandFailure(
                    ProblemType.BAD_ARGUMENTS,
                    "--db-cpus needs --load pgbench: the client threads of --load threads run in this process");
        }
    }

    /**
     * The patch folder: --patches, or the project's patches/. A folder whose patches alter pgbench's tables (the hot
     * set, bench-patches/hot) needs pgbench's load, which creates them.
     */
    Path folder() {
        Path folder =
                patches != null ? patches : Path.of(System.getenv().getOrDefault("FASTDOWNTIME_HOME", "."), "patches");
        if (!Files.isDirectory(folder)) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "no patch folder " + folder);
        }
        if (altersPgbench(folder) && load != LoadKind.PGBENCH) {
            throw new CommandFailure(
                    ProblemType.BAD_ARGUMENTS,
                    "the patches of " + folder + " alter pgbench's tables: run them with --load pgbench, which"
                            + " creates and writes them");
        }
        return folder;
    }

    /** Whether a patch of {@code folder} names one of pgbench's tables. */
    static boolean altersPgbench(Path folder) {
        try (var files = Files.list(folder)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("patch-"))
                    .toList()) {
                if (Files.readString(f).contains("pgbench_")) {
                    return true;
                }
            }
            return false;
        } catch (java.io.IOException e) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "cannot read the patch folder " + folder + ": " + e);
        }
    }

    /** Where the processes run, with --db-cpus; null when everything shares every CPU. */
    CpuPlacement placement() throws Exception {
        if (dbCpus == null) {
            return null;
        }
        try {
            return CpuPlacement.parse(dbCpus);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--db-cpus: " + e.getMessage());
        }
    }

    /** Half the clients' run: the lead from a repeat's start to its window. */
    java.time.Duration lead() {
        return java.time.Duration.ofMillis((long) (seconds * 1000 / 2));
    }

    /** A repeat's whole run, in nanoseconds. */
    long runNanos() {
        return (long) (seconds * 1e9);
    }
}
