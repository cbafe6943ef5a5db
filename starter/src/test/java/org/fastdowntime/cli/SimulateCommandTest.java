package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fastdowntime.activity.Json;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/** The lead-time simulation: months of the calendar and real windows on a real database. */
class SimulateCommandTest {
    private static Cli simulate(String... args) {
        List<String> all = new ArrayList<>(
                List.of("simulate", "--patches", TestDatabase.demoPatches().toString(), "--json"));
        all.addAll(List.of(args));
        return Cli.run(all.toArray(String[]::new));
    }

    @Test
    void weekdaySlotsDeployWithin24WorkingHoursOfLanding() throws Exception {
        // Three slots a day: over 90 days the calendar continues as new (every 100 windows) and goes on.
        Cli r = simulate(
                "--days",
                "90",
                "--from",
                "2027-01-04",
                "--seed",
                "7",
                "--slots",
                "Mon-Fri 08:30 UTC;Mon-Fri 12:30 UTC;Mon-Fri 16:30 UTC");
        assertEquals(0, r.exit(), r.toString());
        JsonNode doc = Json.mapper().readTree(r.out());
        JsonNode patches = doc.get("patches");
        assertEquals(64, patches.size(), "5 a week for 90 days");
        assertEquals(0, doc.get("unapplied").asInt(), r.out());
        assertTrue(
                doc.get("workingHours").get("p95").asDouble() <= 24.0, "p95 working hours: " + doc.get("workingHours"));

        // The figures come from the patches themselves: recompute the calendar-hours p95 and max.
        List<Double> leads = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode p : patches) {
            Instant landed = Instant.parse(p.get("landed").asText());
            Instant approved = Instant.parse(p.get("approved").asText());
            Instant applied = Instant.parse(p.get("applied").asText());
            assertTrue(landed.isBefore(approved) && !approved.isAfter(landed.plus(Duration.ofHours(4))), p.toString());
            assertTrue(applied.isAfter(approved), "applied only after QA: " + p);
            leads.add(Duration.between(landed, applied).toMillis() / 3_600_000.0);
            seen.add(p.get("id").asText());
        }
        leads.sort(null);
        assertEquals(
                leads.get((int) Math.ceil(0.95 * leads.size()) - 1),
                doc.get("calendarHours").get("p95").asDouble(),
                1e-6);
        assertEquals(
                leads.get(leads.size() - 1), doc.get("calendarHours").get("max").asDouble(), 1e-6);
        assertTrue(doc.get("calendarHours").get("max").asDouble() > 24, "weekends make calendar hours longer");
        // Approvals wait in the ledger for whichever window comes: with three slots most patches go the same day
        // (with one slot a day the median is about 19 hours).
        assertTrue(
                doc.get("calendarHours").get("p50").asDouble() < 12,
                doc.get("calendarHours").toString());

        // Every applied patch went through exactly one window with a measured outage, and every slot is
        // accounted for.
        int applied = 0;
        int withOutage = 0;
        for (JsonNode w : doc.get("windows")) {
            applied += w.get("applied").size();
            if (w.hasNonNull("outageMillis")) {
                withOutage++;
                assertTrue(
                        w.get("outageMillis").asLong() > 0
                                && w.get("outageMillis").asLong() < 300_000,
                        w.toString());
                assertEquals("DONE", w.get("state").asText(), w.toString());
            }
            w.get("applied").forEach(p -> assertTrue(seen.remove(p.asText()), "applied once: " + p));
        }
        assertEquals(64, applied);
        assertTrue(seen.isEmpty());
        assertEquals(withOutage, doc.get("windowStates").get("DONE").asInt());
        assertEquals(
                doc.get("windows").size(),
                doc.get("windowsRun").asInt() + doc.get("windowsSkipped").asInt(),
                doc.get("windowStates").toString());
        assertTrue(doc.get("windowStates").get("NOTHING_TO_DEPLOY").asInt() > 0, "some slots had nothing to deploy");
    }

    @Test
    void theSameSeedGivesTheSameRunAndBadOptionsAreRefused() throws Exception {
        Cli a = simulate("--days", "7", "--from", "2027-03-01", "--seed", "3", "--blackout", "2027-03-03");
        Cli b = simulate("--days", "7", "--from", "2027-03-01", "--seed", "3", "--blackout", "2027-03-03");
        assertEquals(0, a.exit(), a.toString());
        JsonNode da = Json.mapper().readTree(a.out());
        JsonNode db = Json.mapper().readTree(b.out());
        assertEquals(
                da.get("patches").toString().replaceAll("\"applied\":\"[^\"]*\"", ""),
                db.get("patches").toString().replaceAll("\"applied\":\"[^\"]*\"", ""));
        assertEquals(da.get("windowStates"), db.get("windowStates"));
        assertEquals(
                1,
                da.get("windowStates").get("BLACKED_OUT").asInt(),
                da.get("windowStates").toString());
        for (JsonNode p : da.get("patches")) {
            assertTrue(!p.get("landed").asText().startsWith("2027-03-03"), "nothing lands on a blackout day: " + p);
        }

        Cli slots = Cli.run("simulate", "--slots", "Mon-Fri 25:00 UTC");
        assertEquals(2, slots.exit(), slots.toString());
        assertTrue(slots.err().contains("--slots"), slots.err());
        assertEquals(2, Cli.run("simulate", "--days", "0").exit());
        assertEquals(2, Cli.run("simulate", "--from", "next monday").exit());
        assertEquals(2, Cli.run("simulate", "--qa-within", "soon").exit());
    }
}
