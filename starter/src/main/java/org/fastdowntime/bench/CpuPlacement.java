package org.fastdowntime.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Where the benchmark's processes run ({@code bench downtime --db-cpus}): the database side
 * (PostgreSQL with its backends, pgbouncer, the pgbench clients) on some CPUs, this process (the
 * worker, the embedded Temporal service, the hand-written outage's psql) on the others, as in
 * production, where the worker does not run on the database's machine. Pinned with {@code taskset}
 * (util-linux); a process's children inherit its CPUs, so the backends the postmaster forks later
 * and the psql this process starts later land on their side too.
 */
public final class CpuPlacement implements AutoCloseable {
    private final TreeSet<Integer> allowed;
    private final TreeSet<Integer> database;
    private boolean selfPinned;

    private CpuPlacement(TreeSet<Integer> allowed, TreeSet<Integer> database) {
        this.allowed = allowed;
        this.database = database;
    }

    /** The CPUs left to this process: those it may use that the database side does not. */
    private TreeSet<Integer> others() {
        TreeSet<Integer> others = new TreeSet<>(allowed);
        others.removeAll(database);
        return others;
    }

    /**
     * The database side on {@code list} ("1", "2-3", "0,2"), this process on every other CPU it may
     * run on now.
     *
     * @throws IllegalArgumentException naming what is wrong with {@code list}
     */
    static CpuPlacement parse(String list) throws IOException {
        return parse(list, allowedNow());
    }

    static CpuPlacement parse(String list, TreeSet<Integer> allowed) {
        TreeSet<Integer> database = cpus(list);
        if (!allowed.containsAll(database)) {
            TreeSet<Integer> missing = new TreeSet<>(database);
            missing.removeAll(allowed);
            throw new IllegalArgumentException(
                    "CPU " + format(missing) + " is not one this process may use (" + format(allowed) + ")");
        }
        CpuPlacement placement = new CpuPlacement(allowed, database);
        if (placement.others().isEmpty()) {
            throw new IllegalArgumentException("CPUs " + format(database) + " are all this process may use ("
                    + format(allowed) + "): leave at least one for the worker");
        }
        return placement;
    }

    /** The database side's CPUs, as taskset writes them. */
    String database() {
        return format(database);
    }

    /** This process's CPUs. */
    String rest() {
        return format(others());
    }

    /** This process, every thread of it, on the CPUs the database side does not use, until {@link #close}. */
    void pinSelf() throws IOException, InterruptedException {
        selfPinned = true;
        pin(ProcessHandle.current().pid(), others());
    }

    /** This process back on every CPU it could use before (a command run inside a longer-lived JVM). */
    @Override
    public void close() throws IOException, InterruptedException {
        if (selfPinned) {
            pin(ProcessHandle.current().pid(), allowed);
            selfPinned = false;
        }
    }

    /** {@code pid} and its descendants (a postmaster's background processes) on the database side's CPUs. */
    void pinDatabase(long pid) throws IOException, InterruptedException {
        pin(pid, database);
        for (ProcessHandle child :
                ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of())) {
            pin(child.pid(), database);
        }
    }

    /** The CPUs {@code pid} may run on, from /proc. */
    public static TreeSet<Integer> allowed(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return cpus(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        throw new IOException("/proc/" + pid + "/status has no Cpus_allowed_list");
    }

    private static TreeSet<Integer> allowedNow() throws IOException {
        return allowed(ProcessHandle.current().pid());
    }

    private static void pin(long pid, TreeSet<Integer> cpus) throws IOException, InterruptedException {
        List<String> argv = List.of("taskset", "-a", "-p", "-c", format(cpus), String.valueOf(pid));
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("--db-cpus needs taskset (Debian package util-linux): " + e.getMessage(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            if (ProcessHandle.of(pid).isEmpty()) {
                return; // it ended meanwhile: nothing left to place
            }
            throw new IOException(String.join(" ", argv) + " failed: " + out.strip());
        }
    }

    /** A CPU list as the kernel and taskset write it: "0-2,5". */
    static TreeSet<Integer> cpus(String list) {
        TreeSet<Integer> out = new TreeSet<>();
        for (String part : list.split(",", -1)) {
            String p = part.strip();
            int dash = p.indexOf('-');
            try {
                int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1));
                if (from < 0 || to < from) {
                    throw new NumberFormatException();
                }
                for (int cpu = from; cpu <= to; cpu++) {
                    out.add(cpu);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "'" + list + "' is not a CPU list (e.g. 1, 2-3 or 0,2): '" + p + "' is not a CPU or a range");
            }
        }
        return out;
    }

    private static String format(TreeSet<Integer> cpus) {
        StringBuilder b = new StringBuilder();
        Integer start = null;
        Integer prev = null;
        for (int cpu : cpus) {
            if (prev != null && cpu == prev + 1) {
                prev = cpu;
                continue;
            }
            append(b, start, prev);
            start = cpu;
            prev = cpu;
        }
        append(b, start, prev);
        return b.toString();
    }

    private static void append(StringBuilder b, Integer start, Integer end) {
        if (start == null) {
            return;
        }
        if (b.length() > 0) {
            b.append(',');
        }
        b.append(start);
        if (!end.equals(start)) {
            b.append('-').append(end);
        }
    }
}
