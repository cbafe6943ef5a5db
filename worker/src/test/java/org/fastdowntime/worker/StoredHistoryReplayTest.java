package org.fastdowntime.worker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays stored histories of every workflow type (FastDowntime: happy path, deferral, fragile
 * abort, patch failure, cancel, abort signal, before and after the armed outage; MonthlyDowntime:
 * happy path, renegotiation, a person's abort; DowntimeCalendar: validated changes and a started
 * window, a worker restart) against today's code: a change that would break running workflows fails
 * the build. New ones are recorded with {@code mvn -pl worker test
 * -Dtest='Fast*Test,Monthly*Test,SealedWindowsTest,DowntimeCalendarWorkflowTest'
 * -Dfastdowntime.recordHistories=$PWD/worker/src/test/resources/histories}; old ones stay, and
 * changes to workflow code go behind {@code Workflow.getVersion} so they keep replaying.
 */
@Tag("unit")
class StoredHistoryReplayTest {

    static List<Path> histories() throws Exception {
        Path dir =
                Path.of(StoredHistoryReplayTest.class.getResource("/histories").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("histories")
    void storedHistoryReplays(Path file) throws Exception {
        WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(Files.readString(file));
        WorkflowReplayer.replayWorkflowExecution(
                history,
                Histories.WORKFLOWS[0],
                java.util.Arrays.copyOfRange(Histories.WORKFLOWS, 1, Histories.WORKFLOWS.length));
    }

    @org.junit.jupiter.api.Test
    void everyOutcomeHasAStoredHistory() throws URISyntaxException, Exception {
        List<String> names =
                histories().stream().map(p -> p.getFileName().toString()).toList();
        for (String outcome :
                List.of("fdt-happy", "fdt-deferred", "fdt-fragile", "fdt-failing", "fdt-cancel", "fdt-abort")) {
            // -v0: before the armed outage ("armed-outage" = DEFAULT_VERSION); -v1: armed outage,
            // announcements awaited
            // ("async-announcements" = DEFAULT_VERSION); no suffix: announcements in the background.
            for (String name : List.of(outcome + ".json", outcome + "-v0.json", outcome + "-v1.json")) {
                assertTrue(names.contains(name), "missing stored history " + name);
            }
        }
        for (String name : List.of(
                "monthly-happy.json",
                "monthly-renegotiated.json",
                "monthly-person-abort.json",
                "calendar-changes.json",
                "calendar-restart.json")) {
            assertTrue(names.contains(name), "missing stored history " + name);
        }
    }
}
