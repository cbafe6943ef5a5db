package org.fastdowntime.worker;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.model.FastDowntimeRequest;
import org.fastdowntime.model.QaSignal;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The world of a FastDowntime end-to-end test: the real workflow, the real activities, a real PostgreSQL,
 * Temporal's test service, and the patch folder left with cold 2300-01-0, 2300-02-0, 2300-04-0 and live 2300-03-0.
 * Each concern's tests extend it.
 */
abstract class FastWindowWorld {
    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path patches;

    WindowFixture w;

    @BeforeEach
    void world() throws Exception {
        w = new WindowFixture(db, patches);
        Files.delete(patches.resolve("patch-2300-05-0.sql"));
        Files.delete(patches.resolve("patch-2300-06-0.sql"));
        // Left: cold 2300-01-0, 2300-02-0, 2300-04-0 and live 2300-03-0.
    }

    @AfterEach
    void cleanUp() throws Exception {
        w.close();
    }

    /** Leads short enough for a "now" window in real time: it starts 2 s after QA is done. */
    static org.fastdowntime.env.Budgets nowLeads(org.fastdowntime.env.Budgets b) {
        return b.withLeads(Duration.ofHours(1), Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMillis(500));
    }

    FastDowntimeRequest inTwoHours(String... ids) {
        return new FastDowntimeRequest("test", w.now().plus(Duration.ofHours(2)).toString(), List.of(ids));
    }

    static QaSignal ok(String patch, String by) {
        return new QaSignal(patch, by, "looks fine on qastaging", null);
    }

    FastDowntimeWorkflow startWindow(String id, FastDowntimeRequest request) {
        FastDowntimeWorkflow window = w.newWindow(id);
        WorkflowClient.start(window::run, request);
        return window;
    }

    static String failureType(WorkflowFailedException e) {
        return assertInstanceOf(ApplicationFailure.class, e.getCause()).getType();
    }

    /** The window's search attributes DowntimeEnvironment and DowntimeOutcome. */
    void assertOutcome(String id, String environment, String outcome) {
        var attributes = w.client().newUntypedWorkflowStub(id).describe().getTypedSearchAttributes();
        org.junit.jupiter.api.Assertions.assertEquals(
                environment, attributes.get(org.fastdowntime.downtime.DowntimeSearchAttributes.ENVIRONMENT), id);
        org.junit.jupiter.api.Assertions.assertEquals(
                outcome, attributes.get(org.fastdowntime.downtime.DowntimeSearchAttributes.OUTCOME), id);
    }

    void replays(String workflowId) throws Exception {
        Histories.replayAndRecord(w.client(), workflowId);
    }

    void waitUntilGateIs(boolean open) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (w.gateOpen() != open) {
            assertTrue(System.nanoTime() < deadline, "gate never became " + (open ? "open" : "closed"));
            Thread.sleep(20);
        }
    }
}
