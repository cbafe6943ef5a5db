package org.fastdowntime.worker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.fastdowntime.fast.FastDowntimeWorkflowImpl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays stored FastDowntime histories (happy path, deferral, fragile abort, patch failure, cancel, abort signal)
 * against today's code: a change that would break running windows fails the build. Refresh them with
 * {@code mvn -pl worker test -Dtest=FastDowntimeWorkflowTest -Dfastdowntime.recordHistories=$PWD/worker/src/test/resources/histories}
 * only when the change is guarded by {@code Workflow.getVersion}.
 */
class FastDowntimeReplayTest {

  static List<Path> histories() throws Exception {
    Path dir = Path.of(FastDowntimeReplayTest.class.getResource("/histories").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("histories")
  void storedHistoryReplays(Path file) throws Exception {
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(Files.readString(file));
    WorkflowReplayer.replayWorkflowExecution(history, FastDowntimeWorkflowImpl.class);
  }

  @org.junit.jupiter.api.Test
  void everyOutcomeHasAStoredHistory() throws URISyntaxException, Exception {
    List<String> names = histories().stream().map(p -> p.getFileName().toString()).toList();
    for (String outcome : List.of("fdt-happy", "fdt-deferred", "fdt-fragile", "fdt-failing", "fdt-cancel", "fdt-abort")) {
      // -v0: recorded before the armed outage (Workflow.getVersion "armed-outage" = DEFAULT_VERSION)
      for (String name : List.of(outcome + ".json", outcome + "-v0.json")) {
        assertTrue(names.contains(name), "missing stored history " + name);
      }
    }
  }
}
