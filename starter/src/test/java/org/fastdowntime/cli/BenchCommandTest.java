package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.TreeSet;
import org.fastdowntime.activity.Json;
import org.fastdowntime.bench.CpuPlacement;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * The benchmark command runs and reports every figure; the figures themselves are for
 * BENCHMARKS.md, not asserted.
 */
class BenchCommandTest {
    @Test
    void pgbouncerBenchmarkReportsEveryFigureAndNoClientError() throws Exception {
        Cli r = Cli.run(
                "bench",
                "downtime",
                "--gate",
                "pgbouncer",
                "--clients",
                "4",
                "--repeat",
                "1",
                "--seconds",
                "6",
                "--baseline",
                "script",
                "--patches",
                TestDatabase.demoPatches().toString(),
                "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode doc = Json.mapper().readTree(r.out());
        assertEquals("pgbouncer", doc.get("gate").asText());
        assertEquals("script", doc.get("baseline").asText());
        JsonNode script = doc.get("runs").get(0);
        assertEquals("baseline", script.get("kind").asText(), "the first repeat starts with the baseline");
        assertEquals(0, script.get("failed").asLong(), "the script's PAUSE makes clients wait too: " + script);
        assertTrue(script.get("outageMs").asDouble() > script.get("applyMs").asDouble(), script.toString());
        assertTrue(doc.get("ratios").get("outage").isNumber());
        JsonNode run = doc.get("runs").get(1);
        assertEquals("fastdowntime", run.get("kind").asText());
        assertEquals("COMPLETED", run.get("outcome").asText());
        for (String field : new String[] {
            "outageMs",
            "patchMs",
            "applyMs",
            "overheadMs",
            "startToGateClosedMs",
            "attempted",
            "failed",
            "longestStallMs",
            "p99Ms"
        }) {
            assertTrue(run.get(field).isNumber(), field);
            assertTrue(doc.get("medians").get(field).isNumber(), field);
        }
        assertTrue(run.get("outageMs").asDouble() >= run.get("applyMs").asDouble());
        assertTrue(run.get("applyMs").asDouble() >= run.get("patchMs").asDouble());
        assertTrue(run.get("attempted").asLong() > 0);
        assertEquals(0, run.get("failed").asLong(), "PAUSE makes clients wait, not fail");
        assertTrue(run.get("phaseMillis").has("kick") && run.get("phaseMillis").has("apply"));
        for (String phase : List.of("timer to preflight", "preflight", "outage activity start", "close gate")) {
            assertTrue(run.get("phaseMillis").has(phase), "phase '" + phase + "' from structured data: " + run);
        }
    }

    /**
     * --standbys: two streaming standbys with readers through the window; each standby's figures are reported, and
     * no read through its pgbouncer failed (no timing is asserted).
     */
    @Test
    void standbysBenchmarkReportsEachStandby() throws Exception {
        Cli r = Cli.run(
                "bench",
                "downtime",
                "--standbys",
                "2",
                "--clients",
                "4",
                "--repeat",
                "1",
                "--seconds",
                "6",
                "--patches",
                TestDatabase.demoPatches().toString(),
                "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode run = Json.mapper().readTree(r.out()).get("runs").get(0);
        assertEquals("COMPLETED", run.get("outcome").asText(), run.toString());
        JsonNode standbys = run.get("standbys");
        assertTrue(standbys.get("unservedMs").isNumber(), standbys.toString());
        assertEquals(2, standbys.get("standbys").size(), standbys.toString());
        for (JsonNode s : standbys.get("standbys")) {
            for (String field :
                    new String[] {"refusedDirect", "refusedPooled", "failed", "longestStallMs", "catchUpSeconds"}) {
                assertTrue(s.get(field).isNumber(), field + " of " + s);
            }
            assertEquals(0, s.get("failed").asInt(), "no read failed: " + s);
            assertEquals(0, s.get("refusedPooled").asInt(), "no connection refused through pgbouncer: " + s);
        }
        assertEquals(2, Cli.run("bench", "downtime", "--standbys", "9").exit());
    }

    /**
     * The real pgbench as the load and the hand-written outage beside fastdowntime's, both applying the hot patch
     * set (bench-patches/hot: the tables pgbench writes): both runs, their medians and the ratios are reported; a
     * native gate's kick aborts pgbench's clients, as pgbench does not reconnect; {@code bench pool} reads the
     * document back. No timing is asserted.
     */
    @Test
    void pgbenchLoadWithTheHandWrittenBaselineReportsBothAndTheirRatio() throws Exception {
        long self = ProcessHandle.current().pid();
        TreeSet<Integer> cpus = CpuPlacement.allowed(self);
        List<String> args = new java.util.ArrayList<>(List.of(
                "bench",
                "downtime",
                "--gate",
                "native",
                "--load",
                "pgbench",
                "--scale",
                "1",
                "--clients",
                "4",
                "--repeat",
                "1",
                "--seconds",
                "6",
                "--baseline",
                "--patches",
                HOT.toString(),
                "--json"));
        // With two CPUs or more, the database side gets the last one and this process the others.
        String dbCpu = cpus.size() >= 2 ? String.valueOf(cpus.last()) : null;
        if (dbCpu != null) {
            args.addAll(List.of("--db-cpus", dbCpu));
        }
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.toString());
        assertEquals(cpus, CpuPlacement.allowed(self), "the command gives this process its CPUs back");
        JsonNode doc = Json.mapper().readTree(r.out());
        assertEquals(dbCpu, doc.path("dbCpus").isTextual() ? doc.path("dbCpus").asText() : null);
        assertEquals("pgbench", doc.get("load").asText());
        assertEquals(2, doc.get("runs").size());
        List<String> kinds = new java.util.ArrayList<>();
        doc.get("runs").forEach(run -> kinds.add(run.get("kind").asText()));
        assertEquals(List.of("baseline", "fastdowntime"), kinds, "the first repeat starts with the baseline");
        for (JsonNode run : doc.get("runs")) {
            assertTrue(run.get("applyMs").asDouble() > 0, "psql's apply and the engine's: " + run);
            assertTrue(run.get("outageMs").asDouble() > 0, run.toString());
            assertTrue(run.get("attempted").asLong() > 0, "pgbench ran: " + run);
            assertTrue(run.get("abortedClients").asLong() >= 1, "the kick aborts pgbench's clients: " + run);
            for (String step : List.of("close gate", "kick", "apply", "open gate")) {
                assertTrue(run.get("phaseMillis").has(step), "both outages' steps, named alike: " + run);
            }
        }
        for (String ratio : List.of("outage", "overhead", "apply")) {
            assertTrue(doc.get("ratios").get(ratio).isNumber(), ratio);
            JsonNode interval = doc.get("ratioIntervals").get(ratio);
            assertEquals(2, interval.size(), ratio);
            // One repeat: every resample is that repeat, so the interval is the ratio itself.
            double value = doc.get("ratios").get(ratio).asDouble();
            assertEquals(value, interval.get(0).asDouble(), 1e-9, ratio);
            assertEquals(value, interval.get(1).asDouble(), 1e-9, ratio);
        }
        assertTrue(doc.get("baselineMedians").get("outageMs").isNumber());
        assertEquals(6, doc.get("coldPatches").size(), "the hot set's six patches: " + doc.get("coldPatches"));
        java.nio.file.Path file = java.nio.file.Files.createTempFile("bench-hot-", ".json");
        java.nio.file.Files.writeString(file, r.out());
        Cli pooled = Cli.run("bench", "pool", file.toString());
        assertEquals(0, pooled.exit(), pooled.toString());
        assertTrue(pooled.out().startsWith("1 repeats from 1 run(s): outage fastdowntime "), pooled.out());
        java.nio.file.Files.delete(file);
        Cli threads = Cli.run("bench", "downtime", "--patches", HOT.toString());
        assertEquals(2, threads.exit(), threads.toString());
        assertTrue(threads.err().contains("alter pgbench's tables: run them with --load pgbench"), threads.err());
    }

    /** The hot patch set: patches that alter the tables pgbench writes. */
    static final java.nio.file.Path HOT =
            java.nio.file.Path.of(System.getProperty("fastdowntime.patches")).resolveSibling("bench-patches/hot");

    /**
     * The apply alone: the engine and psql -1 each apply the folder's pending cold patches on a copy of
     * the same database, here through a proxy that delays every byte as a network would; every run, the medians
     * and the ratio are reported.
     */
    @Test
    void applyBenchmarkMeasuresTheEngineBesidePsql() throws Exception {
        Cli r = Cli.run(
                "bench",
                "apply",
                "--repeat",
                "2",
                "--warmup",
                "0",
                "--latency-us",
                "200",
                "--patches",
                TestDatabase.demoPatches().toString(),
                "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode doc = Json.mapper().readTree(r.out());
        assertEquals(5, doc.get("patchCount").asInt(), "the demo's pending cold patches");
        assertEquals(4, doc.get("runs").size());
        for (JsonNode run : doc.get("runs")) {
            assertTrue(run.get("applyMs").asDouble() > 0, run.toString());
        }
        JsonNode engine = doc.get("runs").get(0);
        assertEquals("fastdowntime", engine.get("by").asText());
        assertEquals(
                engine.get("applyMs").asDouble(),
                engine.get("statementsMs").asDouble()
                        + engine.get("bookkeepingMs").asDouble(),
                0.01);
        assertTrue(doc.get("ratio").asDouble() > 0);
        assertEquals(200, doc.get("latencyUs").asInt());
    }

    @Test
    void fleetBenchmarkReportsItsFigures() throws Exception {
        Cli r = Cli.run(
                "bench",
                "fleet",
                "--members",
                "3",
                "--parallelism",
                "2",
                "--mode",
                "atomic",
                "--patches",
                TestDatabase.demoPatches().toString(),
                "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode doc = Json.mapper().readTree(r.out());
        assertEquals("DONE", doc.get("outcome").asText(), r.toString());
        assertEquals(3, doc.get("members").asInt());
        long p50 = doc.get("outageP50Millis").asLong();
        assertTrue(p50 > 0 && doc.get("outageMaxMillis").asLong() >= p50, doc.toString());
        assertEquals(1, doc.get("workerPeakRssMb").size());
        assertTrue(doc.get("workerPeakRssMb").get(0).asLong() > 0, doc.toString());
        assertTrue(
                doc.get("fleetHistoryEvents").asLong()
                        > doc.get("largestMemberHistoryEvents").asLong(),
                doc.toString());
    }

    @Test
    void badArgumentsAreRefused() {
        assertEquals(2, Cli.run("bench", "fleet", "--members", "0").exit());
        assertEquals(2, Cli.run("bench", "apply", "--repeat", "0").exit());
        assertEquals(2, Cli.run("bench", "apply", "--latency-us", "-1").exit());
        assertEquals(2, Cli.run("bench", "downtime", "--gate", "haproxy").exit());
        assertEquals(2, Cli.run("bench", "downtime", "--clients", "0").exit());
        Cli threads = Cli.run("bench", "downtime", "--db-cpus", "1");
        assertEquals(2, threads.exit());
        assertTrue(threads.err().contains("--db-cpus needs --load pgbench"), threads.toString());
        Cli kind = Cli.run("bench", "downtime", "--baseline", "bash");
        assertEquals(2, kind.exit());
        assertTrue(
                kind.err().contains("Invalid value for option '--baseline': session or script, not 'bash'"),
                kind.toString());
        Cli nativeScript = Cli.run("bench", "downtime", "--gate", "native", "--baseline", "script");
        assertEquals(2, nativeScript.exit());
        assertTrue(nativeScript.err().contains("--baseline script is for the pgbouncer gate"), nativeScript.toString());
        Cli list = Cli.run("bench", "downtime", "--load", "pgbench", "--db-cpus", "one");
        assertEquals(2, list.exit());
        assertTrue(list.err().contains("--db-cpus: 'one' is not a CPU list"), list.toString());
    }
}
