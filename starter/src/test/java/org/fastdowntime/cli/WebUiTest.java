package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * What a release manager does in the Temporal Web UI, in a real browser (Debian's Chromium, headless, through its
 * chromedriver): start a FastDowntime from the "Start Workflow" form with the README's kind of JSON input, and see
 * the window running, approve its patch in the "Send a Signal" dialog and see it finished on its page with the
 * summary and details given at the start; and start the DowntimeCalendar from the same form with the README's input.
 * Screenshots of each step go to {@code target/ui-screenshots}.
 */
class WebUiTest {
    @RegisterExtension
    static final RealTemporal temporal = RealTemporal.withUi();

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;

    WorkerProcess worker;
    WebDriver browser;
    final Path shots = Path.of("target", "ui-screenshots");
    int shot;

    @BeforeEach
    void world() throws Exception {
        Path folder = db.demoFolder(dir, n -> n.startsWith("demo-") || n.contains("-01-"));
        // A fleet of one member, the same database: a fleet window started from the form has somewhere to go.
        Path config = TestWorkerYaml.of("production", db, folder)
                .sections("fleets:\n  shards:\n    environment: production\n    members:\n      - {name: m1, jdbcUrl: '"
                        + db.url().replaceAll("\\?.*$", "") + "'}\n")
                .write(dir.resolve("worker.yaml"));
        worker = WorkerProcess.start(config, temporal.target(), dir.resolve("worker.log"))
                .awaitPolling();
        browser = chromium();
        Files.createDirectories(shots);
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        worker.close();
    }

    /** Debian's Chromium through Debian's chromedriver: nothing is downloaded. */
    private WebDriver chromium() throws Exception {
        for (String required : new String[] {"/usr/bin/chromium", "/usr/bin/chromedriver"}) {
            assertTrue(
                    Files.isExecutable(Path.of(required)),
                    required + " is missing: run scripts/setup-machine (apt-get install chromium chromium-driver)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1400,1000",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    private void screenshot(String step) throws Exception {
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(shots.resolve(String.format("%02d-%s.png", ++shot, step)), png);
    }

    private WebElement await(By by) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            for (WebElement e : browser.findElements(by)) {
                if (e.isDisplayed()) {
                    return e;
                }
            }
            assertTrue(
                    System.nanoTime() < deadline, "the page shows " + by + "; it shows:\n" + browser.getPageSource());
            Thread.sleep(200);
        }
    }

    /** Waits for the page to show {@code text} (any case), reloading it every 3 s as a person would. */
    private void awaitText(String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long reload = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (!pageText().toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT))) {
            if (System.nanoTime() > deadline) {
                screenshot("missing-" + text.replaceAll("\\W", "-"));
                throw new AssertionError("the page says '" + text + "'");
            }
            Thread.sleep(300);
            if (System.nanoTime() > reload) {
                browser.navigate().refresh();
                reload = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            }
        }
    }

    /** Waits for the workflow's status badge to say {@code status} (Running, Completed), reloading as a person would. */
    private void awaitStatus(String status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long reload = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (visible(By.cssSelector("[data-testid=execution-status]")).stream()
                .noneMatch(badge -> badge.getText().strip().equalsIgnoreCase(status))) {
            if (System.nanoTime() > deadline) {
                screenshot("not-" + status.toLowerCase(Locale.ROOT));
                throw new AssertionError("the workflow's page shows it " + status);
            }
            Thread.sleep(300);
            if (System.nanoTime() > reload) {
                browser.navigate().refresh();
                reload = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            }
        }
    }

    /** The page's text, with what its frames show (the UI renders summaries and details, Markdown, in frames). */
    private String pageText() {
        StringBuilder text =
                new StringBuilder(browser.findElement(By.tagName("body")).getText());
        for (WebElement frame : browser.findElements(By.tagName("iframe"))) {
            try {
                browser.switchTo().frame(frame);
                text.append('\n').append(browser.findElement(By.tagName("body")).getText());
            } catch (org.openqa.selenium.WebDriverException gone) {
                // the frame went away while the page re-rendered; the next look sees the new one
            } finally {
                browser.switchTo().defaultContent();
            }
        }
        return text.toString();
    }

    /** Types into a CodeMirror editor (the form's JSON input, summary and details are such editors). */
    private void type(WebElement editor, String text) {
        editor.click();
        // The editor closes brackets and quotes as one types; typed in order, each closing one steps over its pair.
        editor.sendKeys(text);
        // Leaving the editor formats its JSON, which moves what is below it: leave before clicking on anything.
        ((JavascriptExecutor) browser).executeScript("document.activeElement.blur()");
    }

    /**
     * The Start Workflow form as a person fills it: id, task queue, type, the JSON input, and under "More options"
     * the summary and details the workflow's page shows.
     */
    private void startFromTheForm(String id, String type, String input, String summary, String details)
            throws Exception {
        browser.get(temporal.uiUrl() + "/namespaces/default/workflows/start-workflow");
        await(By.cssSelector("[data-testid=workflowId]")).sendKeys(id);
        await(By.cssSelector("[data-testid=taskQueue]")).sendKeys("fastdowntime");
        await(By.cssSelector("[data-testid=workflowType]")).sendKeys(type);
        type(await(By.cssSelector(".cm-content[contenteditable=true]")), input);
        awaitButton("More options").click();
        Thread.sleep(500);
        List<WebElement> editors = visible(By.cssSelector(".cm-content[contenteditable=true]"));
        assertEquals(3, editors.size(), "the form has input, summary and details editors");
        type(editors.get(1), summary);
        type(editors.get(2), details);
        Thread.sleep(500);
        WebElement start = await(By.cssSelector("[data-testid=start-workflow-button]"));
        long enabledBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!start.isEnabled()) { // the form checks its fields (the task queue has a worker) before it allows it
            assertTrue(System.nanoTime() < enabledBy, "the Start Workflow button is enabled");
            Thread.sleep(200);
        }
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView(true);", start);
        screenshot(type + "-start-form");
        start.click();
        RealTemporal.Result described = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (described == null || described.exit() != 0) {
            assertTrue(System.nanoTime() < deadline, "the form started the workflow:\n" + browser.getPageSource());
            Thread.sleep(300);
            described = temporal.temporal("workflow", "describe", "--workflow-id", id);
        }
        assertTrue(described.out().contains(type), described.out());
        assertTrue(described.out().contains(summary), "the start kept the summary:\n" + described.out());
        screenshot(type + "-started");
    }

    /**
     * "More Actions" → "Send a Signal" on the workflow's page: picks the signal from the list the UI reads from the
     * worker, types its JSON and submits.
     */
    private void signalFromTheDialog(String id, String signal, String json) throws Exception {
        browser.get(temporal.uiUrl() + "/namespaces/default/workflows/" + id);
        awaitButton("More Actions").click();
        await(By.cssSelector("[data-testid=signal-button]")).click();
        await(By.cssSelector("[data-testid=signal-select-button]")).click();
        WebElement option = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (option == null) {
            option = visible(By.cssSelector("#signal-select-select li[role=option]")).stream()
                    .filter(o -> o.getText().strip().equals(signal))
                    .findFirst()
                    .orElse(null);
            assertTrue(option != null || System.nanoTime() < deadline, "the signal list offers " + signal);
            Thread.sleep(200);
        }
        // A mouse click on an option lands outside the dialog's box and closes it; the keyboard chooses it as well.
        ((JavascriptExecutor) browser).executeScript("arguments[0].focus()", option);
        option.sendKeys(Keys.ENTER);
        WebElement dialog = await(By.cssSelector("[data-testid=signal-confirmation-modal]"));
        WebElement data = dialog.findElement(By.cssSelector(".cm-content[contenteditable=true]"));
        ((JavascriptExecutor) browser).executeScript("arguments[0].focus()", data);
        browser.switchTo().activeElement().sendKeys(json);
        ((JavascriptExecutor) browser).executeScript("document.activeElement.blur()");
        Thread.sleep(500);
        screenshot(signal + "-dialog");
        WebElement submit = dialog.findElement(By.cssSelector("[data-testid=confirm-modal-button]"));
        assertTrue(submit.isEnabled(), "the dialog's Submit is enabled once a signal is chosen");
        submit.click();
        Thread.sleep(1000);
        screenshot(signal + "-sent");
    }

    /** One of the workflow page's tabs (Timeline, Event History, Queries, User Metadata, …). */
    private void openTab(String name) throws Exception {
        await(By.xpath("//*[self::a or self::button or @role='tab'][normalize-space(.)='" + name + "']"))
                .click();
        Thread.sleep(500);
    }

    private List<WebElement> visible(By by) {
        return browser.findElements(by).stream().filter(WebElement::isDisplayed).toList();
    }

    private WebElement awaitButton(String text) throws Exception {
        return await(By.xpath("//button[normalize-space(.)='" + text + "']"));
    }

    @Test
    void aReleaseManagerStartsAFastDowntimeFromTheFormQaApprovesInTheSignalDialogAndItFinishes() throws Exception {
        String id = "fast-downtime-production-ui";
        String input = "{\"environment\":\"production\",\"windowStart\":\""
                + Instant.now().plusSeconds(40) + "\",\"patches\":[\"2300-01-0\"]}";
        String summary = "Fast downtime of production, started from the UI";
        String details = "Patches: 2300-01-0 (one new column)";
        startFromTheForm(id, "FastDowntime", input, summary, details);
        browser.get(temporal.uiUrl() + "/namespaces/default/workflows/" + id);
        awaitStatus("Running");
        openTab("User Metadata");
        awaitText(summary);
        awaitText("Waiting for QA of 2300-01-0"); // the current details the workflow keeps
        screenshot("running");

        signalFromTheDialog(id, "qaOk", "{\"patch\":\"2300-01-0\",\"by\":\"alice\",\"note\":\"from the UI\"}");
        JsonNode signals = status(id).get("signals");
        assertEquals("qaOk", signals.get(0).get("signal").asText(), signals.toString());
        assertEquals("alice", signals.get(0).get("by").asText(), signals.toString());
        assertTrue(signals.get(0).get("accepted").asBoolean(), signals.toString());

        browser.get(temporal.uiUrl() + "/namespaces/default/workflows/" + id);
        awaitStatus("Completed");
        openTab("User Metadata");
        awaitText(summary);
        awaitText(details);
        awaitText("Applied 2300-01-0 with an outage of"); // the current details: how the window ended
        screenshot("completed");
        assertEquals("DONE", status(id).get("stage").asText());
    }

    @Test
    void aReleaseManagerStartsAFleetDowntimeFromTheFormWithOneJson() throws Exception {
        Cli approved = Cli.run(
                "approve",
                "--environment",
                "production",
                "--patch",
                "2300-01-0",
                "--by",
                "alice",
                "--target",
                temporal.target());
        assertEquals(0, approved.exit(), approved.toString());
        String id = "shards-from-the-ui"; // not the CLI's fleet-downtime-… id: status finds its type
        String summary = "Fleet downtime of shards, started from the UI";
        startFromTheForm(id, "FleetDowntime", "{\"fleet\":\"shards\",\"mode\":\"atomic\"}", summary, "One JSON");
        browser.get(temporal.uiUrl() + "/namespaces/default/workflows/" + id);
        awaitStatus("Completed");
        awaitText("Done: committed on every member"); // the current details: how the fleet window ended
        screenshot("fleet-completed");
        JsonNode status = status(id);
        assertEquals("DONE", status.get("stage").asText(), status.toString());
        assertEquals("ATOMIC", status.get("mode").asText());
        assertEquals("COMMITTED", status.get("members").get(0).get("state").asText(), status.toString());
        assertTrue(status.get("decision").asText().startsWith("COMMIT"), status.toString());
        Cli printed = Cli.run("status", id, "--target", temporal.target());
        assertEquals(0, printed.exit(), printed.toString());
        assertTrue(printed.out().contains(id + ": DONE (fleet shards, atomic, settings of production)"), printed.out());
        assertTrue(printed.out().matches("(?s).*\\n  m1 +COMMITTED +\\d+ ms  applied 2300-01-0\\n.*"), printed.out());
    }

    @Test
    void aReleaseManagerStartsTheDowntimeCalendarFromTheFormWithTheReadmesInput() throws Exception {
        String command = ReadmeTemporalCommandsTest.readmeCommands("Using it from the Temporal UI and CLI").stream()
                .filter(c -> c.contains("--type DowntimeCalendar"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the README starts a DowntimeCalendar"));
        Matcher m = Pattern.compile("--workflow-id (\\S+) .*--input '(.*)'").matcher(command);
        assertTrue(m.find(), command);
        String summary = "Downtime calendar of production";
        startFromTheForm(m.group(1), "DowntimeCalendar", m.group(2), summary, "Started from the UI");
        browser.get(temporal.uiUrl() + "/namespaces/default/workflows/" + m.group(1));
        awaitStatus("Running");
        openTab("User Metadata");
        awaitText(summary);
        screenshot("calendar-running");
        RealTemporal.Result upcoming = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (upcoming == null || !upcoming.out().contains("FAST@")) {
            assertTrue(System.nanoTime() < deadline, "the calendar lists its windows: " + upcoming);
            Thread.sleep(300);
            upcoming = temporal.temporal(
                    "workflow", "query", "--workflow-id", m.group(1), "--type", "upcoming", "--input", "3");
        }
        temporal.temporal("workflow", "terminate", "--workflow-id", m.group(1), "--reason", "test");
    }

    /**
     * The workflow list a release manager reads: with the columns DowntimeEnvironment and DowntimeOutcome added (as
     * "Configure columns" keeps them, in the browser's storage), a window for a misspelt environment, one that
     * skipped (nothing approved), one that applied its patch and one that found nothing to apply each say how they
     * ended.
     */
    @Test
    void theWorkflowListTellsHowEachWindowEnded() throws Exception {
        startWindow("fast-downtime-prdo-list", "prdo", 3, false);
        String skipped = startWindow("fast-downtime-production-skipped", "production", 3, false);
        awaitOutcome(skipped, "SKIPPED");
        String done = startWindow("fast-downtime-production-done", "production", 4, true);
        awaitOutcome(done, "DONE");
        String empty = startWindow("fast-downtime-production-empty", "production", 3, false);
        awaitOutcome(empty, "NOTHING_APPLIED");

        browser.get(temporal.uiUrl() + "/namespaces/default/workflows");
        ((JavascriptExecutor) browser)
                .executeScript("localStorage.setItem('namespace-workflow-table-columns', JSON.stringify({default: ["
                        + "{label: 'Status', pinned: true}, {label: 'Workflow ID', pinned: true},"
                        + " {label: 'DowntimeEnvironment', pinned: false}, {label: 'DowntimeOutcome', pinned: false},"
                        + " {label: 'DowntimeStage', pinned: false}, {label: 'End', pinned: false}]}))");
        browser.navigate().refresh();
        for (String shown : List.of("UNKNOWN_ENVIRONMENT", "SKIPPED", "DONE", "NOTHING_APPLIED", "prdo")) {
            awaitText(shown);
        }
        screenshot("list-outcomes");
        String text = pageText();
        assertTrue(text.contains("DowntimeOutcome"), "the list has the outcome column:\n" + text);
    }

    /** Starts a window {@code seconds} ahead on patch 2300-01-0 with the Temporal CLI; {@code approve}: QA-ok it. */
    private String startWindow(String id, String environment, int seconds, boolean approve) throws Exception {
        RealTemporal.Result started = temporal.temporal(
                "workflow",
                "start",
                "--task-queue",
                "fastdowntime",
                "--type",
                "FastDowntime",
                "--workflow-id",
                id,
                "--input",
                "{\"environment\":\"" + environment + "\",\"windowStart\":\""
                        + Instant.now().plusSeconds(seconds) + "\"}");
        assertEquals(0, started.exit(), started.out());
        if (approve) {
            RealTemporal.Result ok = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (ok == null || ok.exit() != 0) { // a signal waits for the window to start judging
                assertTrue(System.nanoTime() < deadline, "qaOk sent: " + ok);
                ok = temporal.temporal(
                        "workflow",
                        "signal",
                        "--workflow-id",
                        id,
                        "--name",
                        "qaOk",
                        "--input",
                        "{\"patch\":\"2300-01-0\",\"by\":\"alice\"}");
            }
        }
        return id;
    }

    /** Waits until visibility lists {@code id} with the outcome {@code outcome}. */
    private void awaitOutcome(String id, String outcome) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        RealTemporal.Result listed = null;
        while (listed == null || !listed.out().contains(id)) {
            assertTrue(System.nanoTime() < deadline, id + " ends " + outcome + ": " + listed + "\n" + status(id));
            Thread.sleep(500);
            listed = temporal.temporal("workflow", "list", "--query", "DowntimeOutcome = '" + outcome + "'");
        }
    }

    private JsonNode status(String id) throws Exception {
        return temporal.query(id, "status");
    }
}
