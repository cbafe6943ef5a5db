package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.fastdowntime.activity.Json;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.env.Environments;
import org.fastdowntime.gate.Outage;
import org.fastdowntime.model.OutageRequest;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.patch.DatabaseActivitiesImpl;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The cycle-time report over a database on which three real outages ran. */
class ReportCommandTest {
    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path folder;

    @TempDir
    Path out;

    @BeforeEach
    void threeWindows() throws Exception {
        TestDatabase.copyDemoPatches(folder, name -> true);
        db.loadBaseline(folder);
        EnvironmentSettings env = db.environment("rep", folder, List.of("alice"));
        DatabaseActivitiesImpl activities = new DatabaseActivitiesImpl(new Environments(Map.of("rep", env)));
        int hours = 2;
        for (String id : List.of("2300-01-0", "2300-02-0", "2300-04-0")) {
            var resolved = activities.resolvePatches("rep", List.of(PatchId.parse(id)));
            // The patch landed a while before the window: 2, 30 and 58 hours.
            db.exec("UPDATE fastdowntime.patch_landing SET first_seen = first_seen - interval '"
                    + hours
                    + " hours'"
                    + " WHERE (major, minor, patch) = (2300, "
                    + PatchId.parse(id).minor()
                    + ", 0)");
            hours += 28;
            new Outage(env, new OutageRequest("rep", "window-" + id, resolved.cold())).run(() -> false, s -> {});
        }
    }

    @Test
    void htmlAndPngShowTheChartsAndTheFiguresOfTheHistoryTables() throws Exception {
        Path html = out.resolve("report.html");
        Path png = out.resolve("report.png");
        Cli r = Cli.run(
                "report",
                "--db",
                db.url(),
                "--since",
                "2000-01-01",
                "--html",
                html.toString(),
                "--png",
                png.toString(),
                "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode doc = Json.mapper().readTree(r.out());
        assertEquals(3, doc.get("windows").size());
        assertEquals(3, doc.get("patches").size());

        // Figures match the history tables.
        String page = Files.readString(html);
        try (var c = db.connect();
                var st = c.createStatement();
                var rs = st.executeQuery("SELECT deployment_id, outage_ms FROM fastdowntime.window_history ORDER BY"
                        + " window_start")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                Matcher m = Pattern.compile("<tr data-deployment=\""
                                + rs.getString(1)
                                + "\">.*?<td class=\"outage-ms\">(\\d+)</td>")
                        .matcher(page);
                assertTrue(m.find(), "row of " + rs.getString(1));
                assertEquals(rs.getLong(2), Long.parseLong(m.group(1)));
            }
            assertEquals(3, rows);
        }
        double p95;
        try (var c = db.connect();
                var st = c.createStatement();
                var rs = st.executeQuery("SELECT percentile_disc(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM"
                        + " h.started_at - l.first_seen) / 3600) FROM fastdowntime.patch_history h JOIN"
                        + " fastdowntime.patch_landing l USING (major, minor, patch) WHERE h.kind ="
                        + " 'COLD'")) {
            rs.next();
            p95 = rs.getDouble(1);
        }
        assertTrue(p95 > 58 && p95 < 59, "the 58-hour patch is the p95 of three: " + p95);
        Matcher lead = Pattern.compile("<span id=\"lead-p95\">([0-9.]+)</span>").matcher(page);
        assertTrue(lead.find());
        assertEquals(p95, Double.parseDouble(lead.group(1)), 0.001);
        assertTrue(page.contains("class=\"lead-h over\""), "lead times over 24 h are marked");

        // Both charts are there and are real images.
        for (String chart : List.of("chart-lead-time", "chart-outage")) {
            Matcher m = Pattern.compile("<img id=\"" + chart + "\"[^>]*src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")
                    .matcher(page);
            assertTrue(m.find(), chart);
            BufferedImage img =
                    ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
            assertNotNull(img, chart);
            assertEquals(960, img.getWidth());
            assertTrue(colours(img) > 10, chart + " is drawn, not blank");
        }
        Files.copy(png, Path.of("target", "report-sample.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        BufferedImage both = ImageIO.read(png.toFile());
        assertEquals(960, both.getWidth());
        assertEquals(840, both.getHeight(), "the two charts, one above the other");
        assertTrue(colours(both) > 10);

        Cli text = Cli.run("report", "--db", db.url());
        assertEquals(0, text.exit(), text.toString());
        assertTrue(text.out().contains("3 window(s), 3 patch(es)"), text.out());
    }

    /** A window whose outage failed and rolled back still had an outage: the report counts it and says so. */
    @Test
    void aFailedOutageIsInTheReportWithItsOutcome() throws Exception {
        java.nio.file.Files.writeString(
                folder.resolve("patch-2300-07-0.sql"), "ALTER TABLE bug ADD CONSTRAINT never CHECK (id < 0);\n");
        EnvironmentSettings env = db.environment("rep", folder, List.of("alice"));
        DatabaseActivitiesImpl activities = new DatabaseActivitiesImpl(new Environments(Map.of("rep", env)));
        var resolved = activities.resolvePatches("rep", List.of(PatchId.parse("2300-07-0")));
        org.junit.jupiter.api.Assertions.assertThrows(
                RuntimeException.class,
                () -> new Outage(env, new OutageRequest("rep", "window-failed", resolved.cold()))
                        .run(() -> false, s -> {}));
        Cli json = Cli.run("report", "--db", db.url(), "--json");
        assertEquals(0, json.exit(), json.toString());
        var windows =
                org.fastdowntime.activity.Json.mapper().readTree(json.out()).get("windows");
        assertEquals(4, windows.size(), windows.toString());
        assertEquals("FAILED", windows.get(3).get("outcome").asText(), windows.toString());
        assertTrue(windows.get(3).get("outageMillis").asLong() > 0, windows.toString());
        Cli text = Cli.run("report", "--db", db.url());
        assertTrue(
                text.out()
                        .matches("(?s).*window-failed\\s+FAILED\\s+outage\\s+\\d+ ms  \\(nothing applied: rolled"
                                + " back\\).*"),
                text.out());
    }

    @Test
    void badOptionsAreRefusedAndNothingIsWritten() {
        Cli both = Cli.run("report", "--db", db.url(), "--config", "x.yaml");
        assertEquals(2, both.exit(), both.toString());
        Cli since = Cli.run("report", "--db", db.url(), "--since", "last week");
        assertEquals(2, since.exit(), since.toString());
        Cli dir = Cli.run(
                "report",
                "--db",
                db.url(),
                "--html",
                out.resolve("no/such/dir/r.html").toString());
        assertEquals(2, dir.exit(), dir.toString());
        assertTrue(dir.err().contains("no directory"), dir.err());
        Cli noEnv = Cli.run("report", "--config", "x.yaml");
        assertEquals(2, noEnv.exit(), noEnv.toString());
    }

    private static int colours(BufferedImage img) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen.size();
    }
}
