package org.fastdowntime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A timeline line keeps its stage and message apart, whatever the stage's length. */
@Tag("unit")
class TimelineEventTest {
    @Test
    void theLongestStageIsStillFollowedByASpace() {
        Instant at = Instant.parse("2026-12-06T08:00:00Z");
        assertEquals(
                "WAITING_FOR_WINDOW abort from bob: accepted.",
                new TimelineEvent(at, FastStage.WAITING_FOR_WINDOW.name(), "abort from bob: accepted.").shown());
        assertEquals("DONE               Applied.", new TimelineEvent(at, "DONE", "Applied.").shown());
        for (FastStage stage : FastStage.values()) {
            assertEquals(
                    ' ',
                    new TimelineEvent(at, stage.name(), "x")
                            .shown()
                            .charAt(stage.name().length()),
                    stage.name());
        }
        for (MonthlyStage stage : MonthlyStage.values()) {
            assertEquals(
                    ' ',
                    new TimelineEvent(at, stage.name(), "x")
                            .shown()
                            .charAt(stage.name().length()),
                    stage.name());
        }
    }
}
