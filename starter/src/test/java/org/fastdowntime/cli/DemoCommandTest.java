package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/** The README's main command, as a newcomer runs it. */
class DemoCommandTest {
    /**
     * With the Temporal CLI installed the demo runs on the real server and prints the UI link of its window; the
     * link answers and the server behind it says the window completed, while --keep-ui holds it up.
     */
    @Test
    void onTheRealServerTheDemoPrintsAUiLinkThatShowsTheCompletedWindow() throws Exception {
        java.io.StringWriter text = new java.io.StringWriter();
        java.io.PrintWriter out = new java.io.PrintWriter(text, true);
        picocli.CommandLine cl = Main.commandLine("demo");
        cl.setOut(out);
        cl.setErr(out);
        int[] exit = {-1};
        Thread demo = new Thread(() -> exit[0] = cl.execute(
                "demo", "--patches", TestDatabase.demoPatches().toString(), "--clients", "2", "--keep-ui", "8s"));
        demo.start();
        String link = null;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
        while (link == null) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                            "UI: (http://127\\.0\\.0\\.1:\\d+)(/namespaces/default/workflows/(\\S+))")
                    .matcher(synchronizedText(text));
            if (m.find()) {
                link = m.group(1) + m.group(2);
                String ui = m.group(1);
                String id = m.group(3);
                java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
                var page = http.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(link))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(200, page.statusCode(), "the UI serves the window's page");
                var api = http.send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(ui + "/api/v1/namespaces/default/workflows/" + id))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(200, api.statusCode(), api.body());
                assertTrue(api.body().contains("WORKFLOW_EXECUTION_STATUS_COMPLETED"), api.body());
            } else {
                assertTrue(demo.isAlive() && System.nanoTime() < deadline, "a UI link:\n" + synchronizedText(text));
                Thread.sleep(200);
            }
        }
        demo.join(60_000);
        assertEquals(0, exit[0], synchronizedText(text));
        assertTrue(
                synchronizedText(text).contains("Temporal: temporal server start-dev on 127.0.0.1:"),
                synchronizedText(text));
    }

    private static String synchronizedText(java.io.StringWriter w) {
        synchronized (w.getBuffer()) {
            return w.toString();
        }
    }

    @Test
    void demoRunsARealWindowAndCleansUp() throws Exception {
        Cli r = Cli.run("demo", "--patches", TestDatabase.demoPatches().toString(), "--clients", "4", "--embedded");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("Result: COMPLETED"), r.out());
        assertTrue(r.out().matches("(?s).*Outage: 00:00:\\d\\d\\.\\d\\d \\(gate closed -> open\\).*"), r.out());
        assertTrue(r.out().contains("Clients: "), r.out());
        assertTrue(r.out().contains("Cleaned up: dropped fdt_demo_"), r.out());
        String db = r.out().replaceAll("(?s).*Cleaned up: dropped (fdt_demo_\\w+).*", "$1");
        try (var c = TestDatabase.admin();
                var st = c.createStatement();
                var rs = st.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + db + "'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "the demo database was dropped");
        }
    }
}
