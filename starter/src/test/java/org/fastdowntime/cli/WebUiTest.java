package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
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
 * the window running and then finished on its page. Screenshots of each step go to {@code target/ui-screenshots}.
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
        Path folder = dir.resolve("patches");
        Files.createDirectories(folder);
        TestDatabase.copyDemoPatches(folder, n -> n.startsWith("demo-") || n.contains("-01-"));
        db.loadBaseline(folder);
        Path config = dir.resolve("worker.yaml");
        Files.writeString(config, """
                environments:
                  production:
                    jdbcUrl: %s
                    user: postgres
                    patches: %s
                    approvers: [alice]
                    systemUsers: [postgres]
                    budgets:
                      qaLead: 1s
                      quiesceLead: 2s
                      preflightLead: 1s
                      armLead: 500ms
                """.formatted(db.url().replaceAll("\\?.*$", ""), folder));
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
        while (!browser.findElement(By.tagName("body"))
                .getText()
                .toLowerCase(java.util.Locale.ROOT)
                .contains(text.toLowerCase(java.util.Locale.ROOT))) {
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

    @Test
    void aReleaseManagerStartsAFastDowntimeFromTheStartWorkflowFormAndSeesItFinish() throws Exception {
        String id = "fast-downtime-production-ui";
        String input = "{\"environment\":\"production\",\"windowStart\":\""
                + Instant.now().plusSeconds(25) + "\",\"patches\":[\"2300-01-0\"]}";
        browser.get(temporal.uiUrl() + "/namespaces/default/workflows/start-workflow");
        await(By.cssSelector("[data-testid=workflowId]")).sendKeys(id);
        await(By.cssSelector("[data-testid=taskQueue]")).sendKeys("fastdowntime");
        await(By.cssSelector("[data-testid=workflowType]")).sendKeys("FastDowntime");
        WebElement editor = await(By.cssSelector(".cm-content[contenteditable=true]"));
        editor.click();
        // The editor closes brackets and quotes as one types; typed in order, each closing one steps over its pair.
        editor.sendKeys(input);
        // Leaving the editor formats the JSON, which moves the button: leave it first, then find the button.
        await(By.cssSelector("[data-testid=workflowType]")).click();
        Thread.sleep(1000);
        WebElement start = await(By.cssSelector("[data-testid=start-workflow-button]"));
        long enabledBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!start.isEnabled()) { // the form checks its fields (the task queue has a worker) before it allows it
            assertTrue(System.nanoTime() < enabledBy, "the Start Workflow button is enabled");
            Thread.sleep(200);
        }
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView(true);", start);
        screenshot("start-form");
        start.click();
        Thread.sleep(2000);
        screenshot("after-start");

        RealTemporal.Result described = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (described == null || described.exit() != 0) {
            assertTrue(System.nanoTime() < deadline, "the form started the workflow:\n" + browser.getPageSource());
            Thread.sleep(300);
            described = temporal.temporal("workflow", "describe", "--workflow-id", id);
        }
        assertTrue(described.out().contains("FastDowntime"), described.out());
        browser.get(temporal.uiUrl() + "/namespaces/default/workflows/" + id);
        awaitText("Running");
        screenshot("running");

        // QA approves with the temporal CLI (the UI's signal dialog is not driven yet: its signal select is a custom
        // component this test does not operate).
        RealTemporal.Result ok = temporal.temporal(
                "workflow",
                "signal",
                "--workflow-id",
                id,
                "--name",
                "qaOk",
                "--input",
                "{\"patch\":\"2300-01-0\",\"by\":\"alice\"}");
        assertEquals(0, ok.exit(), ok.out());
        awaitText("Completed");
        screenshot("completed");
        awaitText("Applied 2300-01-0");
    }
}
