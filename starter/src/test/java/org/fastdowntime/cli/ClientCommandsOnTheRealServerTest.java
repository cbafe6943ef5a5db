package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fastdowntime.activity.Json;
import org.junit.jupiter.api.Test;

/**
 * The fastdowntime client commands as separate processes against the real Temporal server, half of them told where
 * it is with {@code --target}, half with {@code TEMPORAL_ADDRESS} (as a profile-less Temporal user would).
 */
class ClientCommandsOnTheRealServerTest extends RealServerClients {
    @Test
    void startApproveSignalStatusAbortAndTheCalendarWorkWithTargetAndWithTemporalAddress() throws Exception {
        Run start = run(
                true,
                "start",
                "fast-downtime",
                "--environment",
                "prod",
                "--at",
                "2030-12-02T08:30:00Z",
                "--patch",
                "2300-01-0",
                "--patch",
                "2300-02-0");
        assertEquals(0, start.exit(), start.out());
        String id = lastLine(start.out());
        assertEquals("fast-downtime-prod-20301202T0830Z", id);
        Run approve = run(false, "approve", id, "--patch", "2300-01-0", "--by", "alice");
        assertEquals(0, approve.exit(), approve.out());
        Run signal = run(
                true, "signal", id, "qaBad", "--json", "{\"patch\":\"2300-02-0\",\"by\":\"bob\",\"reason\":\"slow\"}");
        assertEquals(0, signal.exit(), signal.out());
        Run abort = run(false, "abort", id, "--reason", "replication lag", "--by", "francis");
        assertEquals(0, abort.exit(), abort.out());

        JsonNode status = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (status == null || !status.get("stage").asText().equals("ABORTED")) {
            assertTrue(System.nanoTime() < deadline, "aborted: " + status);
            Run s = run(true, "status", id, "--json");
            assertEquals(0, s.exit(), s.out());
            status = Json.mapper().readTree(s.out().substring(s.out().indexOf('{')));
            Thread.sleep(200);
        }
        assertEquals("APPROVED", status.get("patches").get(0).get("state").asText(), status.toString());
        assertEquals("REJECTED", status.get("patches").get(1).get("state").asText(), status.toString());

        Run cal = run(true, "calendar", "start", "--environment", "prod", "--slots", "Mon-Fri 08:30 UTC");
        assertEquals(0, cal.exit(), cal.out());
        Run pause = run(false, "calendar", "pause", "--environment", "prod", "--by", "alice");
        for (int i = 0; i < 20 && pause.exit() != 0; i++) { // the calendar answers once its policy is loaded
            Thread.sleep(250);
            pause = run(false, "calendar", "pause", "--environment", "prod", "--by", "alice");
        }
        assertEquals(0, pause.exit(), pause.out());
        Run refused = run(true, "calendar", "pause", "--environment", "prod", "--by", "alice");
        assertEquals(44, refused.exit(), "a refused change exits 44: " + refused.out());
        assertTrue(refused.out().contains("already paused"), refused.out());
        Run show = run(false, "calendar", "show", "--environment", "prod", "--json");
        assertEquals(0, show.exit(), show.out());
        JsonNode view = Json.mapper().readTree(show.out().substring(show.out().indexOf('{')));
        assertTrue(view.get("paused").asBoolean(), view.toString());

        Run missing = run(true, "status", "fast-downtime-prod-nothing");
        assertEquals(41, missing.exit(), "no such workflow: " + missing.out());
        temporal.temporal("workflow", "terminate", "--workflow-id", "downtime-calendar-prod", "--reason", "test");
    }

    /**
     * A window refused at its start makes {@code start} exit non-zero with its reason, and {@code list} finds it by
     * environment and by outcome, as the visibility query it prints says.
     */
    @Test
    void listFindsWindowsByEnvironmentAndOutcome() throws Exception {
        Run misspelt = run(true, "start", "fast-downtime", "--environment", "prdo", "--at", "2030-12-02T08:30:00Z");
        assertEquals(43, misspelt.exit(), misspelt.out());
        assertTrue(misspelt.out().contains("UNKNOWN_ENVIRONMENT"), misspelt.out());
        Run aborted = run(true, "start", "fast-downtime", "--environment", "prod", "--at", "2030-12-03T08:30:00Z");
        assertEquals(0, aborted.exit(), aborted.out());
        assertEquals(
                0,
                run(true, "abort", lastLine(aborted.out()), "--reason", "not today", "--by", "alice")
                        .exit());

        Run byEnvironment = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (byEnvironment == null || !byEnvironment.out().contains("ABORTED")) { // visibility lags a little
            assertTrue(System.nanoTime() < deadline, "list shows the aborted window: " + byEnvironment);
            Thread.sleep(300);
            byEnvironment = run(false, "list", "--environment", "prod");
        }
        assertEquals(0, byEnvironment.exit(), byEnvironment.out());
        assertTrue(byEnvironment.out().startsWith("WORKFLOW ID"), byEnvironment.out());
        assertTrue(byEnvironment.out().contains("fast-downtime-prod-20301203T0830Z"), byEnvironment.out());
        assertFalse(byEnvironment.out().contains("prdo"), "only prod's windows: " + byEnvironment.out());

        Run failed = run(true, "list", "--outcome", "unknown_environment", "--json");
        assertEquals(0, failed.exit(), failed.out());
        JsonNode listed = Json.mapper()
                .readTree(failed.out()
                        .lines()
                        .filter(l -> l.startsWith("{"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("one window listed: " + failed.out())));
        assertEquals(
                "fast-downtime-prdo-20301202T0830Z", listed.get("workflowId").asText());
        assertEquals("prdo", listed.get("environment").asText());
        assertEquals("FAILED", listed.get("status").asText());
        assertEquals("UNKNOWN_ENVIRONMENT", listed.get("outcome").asText());

        Run query = run(true, "list", "--environment", "prod", "--outcome", "DONE", "--print-query");
        assertEquals(
                "WorkflowType IN ('FastDowntime', 'MonthlyDowntime', 'FleetDowntime') AND DowntimeEnvironment = 'prod'"
                        + " AND"
                        + " DowntimeOutcome = 'DONE'",
                lastLine(query.out()));
        Run none = run(true, "list", "--environment", "prod", "--outcome", "DONE");
        assertEquals(0, none.exit(), none.out());
        assertTrue(none.out().contains("No window matches"), none.out());
        Run bad = run(true, "list", "--environment", "prod' OR 'a'='a");
        assertEquals(2, bad.exit(), bad.out());
        assertTrue(bad.out().contains("--environment 'prod' OR 'a'='a' is not a name"), bad.out());
    }

    /**
     * status, approve, a refused approval, qaBad, a raw signal, a missing workflow and abort over Temporal's HTTP API alone: the
     * gRPC target given is a port where nothing listens, so every answer came by HTTP. Each says what the gRPC route
     * says; and an HTTP address where nothing listens falls back to gRPC.
     */
    @Test
    void theQuickCommandsGoOverTheHttpApiAndSayWhatGrpcSays() throws Exception {
        Run start = run(true, "start", "fast-downtime", "--environment", "prod", "--at", "2030-12-03T08:30:00Z");
        assertEquals(0, start.exit(), start.out());
        String id = lastLine(start.out());
        String dead = "127.0.0.1:" + RealTemporal.freePort();
        List<String> http = List.of("--target", dead, "--http-target", temporal.httpTarget());
        List<String> grpc = List.of("--target", temporal.target(), "--http-target", "none");

        JsonNode byHttp = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (byHttp == null || byHttp.get("patches").isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the window's patches: " + byHttp);
            Run s = run(true, with(http, "status", id, "--json"));
            assertEquals(0, s.exit(), s.out());
            byHttp = Json.mapper().readTree(s.out().substring(s.out().indexOf('{')));
            Thread.sleep(200);
        }
        Run viaGrpc = run(true, with(grpc, "status", id, "--json"));
        assertEquals(0, viaGrpc.exit(), viaGrpc.out());
        assertEquals(
                Json.mapper().readTree(viaGrpc.out().substring(viaGrpc.out().indexOf('{'))), byHttp);

        Run approve = run(true, with(http, "approve", id, "--patch", "2300-01-0", "--by", "alice"));
        assertEquals(0, approve.exit(), approve.out());
        assertTrue(approve.out().contains("qaOk 2300-01-0 by alice: taken; 2300-01-0 is now approved"), approve.out());
        Run refusedHttp = run(true, with(http, "approve", id, "--patch", "2300-02-0", "--by", "mallory"));
        Run refusedGrpc = run(true, with(grpc, "approve", id, "--patch", "2300-02-0", "--by", "mallory"));
        assertEquals(44, refusedHttp.exit(), refusedHttp.out());
        assertEquals(44, refusedGrpc.exit(), refusedGrpc.out());
        assertTrue(refusedHttp.out().contains("mallory is not a configured approver"), refusedHttp.out());
        assertEquals(lastLine(refusedGrpc.out()), lastLine(refusedHttp.out()));
        Run reject = run(
                true, with(http, "approve", id, "--patch", "2300-02-0", "--by", "bob", "--reject", "--reason", "slow"));
        assertEquals(0, reject.exit(), reject.out());
        assertTrue(
                reject.out()
                        .contains("qaBad 2300-02-0 by bob: taken; 2300-02-0 is now rejected: left out of this window"),
                reject.out());

        Run signal =
                run(true, with(http, "signal", id, "qaOk", "--json", "{\"patch\":\"2300-04-0\",\"by\":\"alice\"}"));
        assertEquals(0, signal.exit(), signal.out());

        Run missing = run(true, with(http, "status", "fast-downtime-prod-nothing"));
        assertEquals(41, missing.exit(), missing.out());
        assertTrue(
                missing.out().contains("no workflow fast-downtime-prod-nothing in namespace default"), missing.out());

        Run fallback = run(true, "status", id, "--target", temporal.target(), "--http-target", dead);
        assertEquals(0, fallback.exit(), fallback.out());
        assertTrue(fallback.out().contains("2300-01-0  APPROVED"), fallback.out());

        Run abort = run(true, with(http, "abort", id, "--reason", "replication lag", "--by", "francis"));
        assertEquals(0, abort.exit(), abort.out());
        JsonNode status = null;
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (status == null || !status.get("stage").asText().equals("ABORTED")) {
            assertTrue(System.nanoTime() < deadline, "aborted: " + status);
            Run s = run(true, with(http, "status", id, "--json"));
            assertEquals(0, s.exit(), s.out());
            status = Json.mapper().readTree(s.out().substring(s.out().indexOf('{')));
            Thread.sleep(200);
        }
        for (JsonNode p : status.get("patches")) {
            if (p.get("id").asText().equals("2300-02-0")) {
                assertEquals("REJECTED", p.get("state").asText(), status.toString());
            }
            if (p.get("id").asText().equals("2300-04-0")) {
                assertEquals("APPROVED", p.get("state").asText(), "the signal command's qaOk: " + status);
            }
        }

        // With no worker to answer, the server says so within the call's deadline (10 s), as it does over gRPC:
        // "query timed out before a worker could process it", or "no poller seen" once the worker is long gone.
        stop();
        Run noWorker = run(true, with(http, "status", id));
        assertEquals(1, noWorker.exit(), noWorker.out());
        assertTrue(
                noWorker.out().contains("Temporal refused the call: ")
                        && noWorker.out().contains("worker"),
                noWorker.out());
    }

    private static String[] with(List<String> route, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(route);
        return all.toArray(String[]::new);
    }
}
