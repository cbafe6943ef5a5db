package org.fastdowntime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.fastdowntime.downtime.Change;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Ties the registry of workflow changes to the stored histories: every {@link Change} is recorded (its version
 * marker) by at least one stored history, so the new branch is replayed on every build; and every change id a
 * stored history records is in the registry, so none lives outside it.
 */
@Tag("unit")
class ChangeHistoriesTest {
    /** Change id → the stored histories that record it. */
    private static final Map<String, Set<String>> recordedBy = new LinkedHashMap<>();

    @BeforeAll
    static void readMarkers() throws Exception {
        for (Path file : StoredHistoryReplayTest.histories()) {
            WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(Files.readString(file));
            for (HistoryEvent e : history.getEvents()) {
                if (!e.hasMarkerRecordedEventAttributes()
                        || !"Version"
                                .equals(e.getMarkerRecordedEventAttributes().getMarkerName())) {
                    continue;
                }
                var payloads =
                        e.getMarkerRecordedEventAttributes().getDetailsMap().get("changeId");
                String id = DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
                        payloads.getPayloads(0), String.class, String.class);
                recordedBy
                        .computeIfAbsent(id, k -> new TreeSet<>())
                        .add(file.getFileName().toString());
            }
        }
    }

    @Test
    void everyChangeIsRecordedByAStoredHistory() {
        List<String> unrecorded = Arrays.stream(Change.values())
                .map(Change::id)
                .filter(id -> !recordedBy.containsKey(id))
                .toList();
        assertEquals(
                List.of(),
                unrecorded,
                "changes no stored history records: record one (see StoredHistoryReplayTest) so the new branch replays");
    }

    @Test
    void everyRecordedChangeIsInTheRegistry() {
        Set<String> known = Arrays.stream(Change.values()).map(Change::id).collect(Collectors.toSet());
        Set<String> strays = new TreeSet<>(recordedBy.keySet());
        strays.removeAll(known);
        assertTrue(strays.isEmpty(), "change ids outside the registry: " + strays + " in " + recordedBy);
    }
}
