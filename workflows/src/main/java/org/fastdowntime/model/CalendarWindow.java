package org.fastdowntime.model;

import java.time.Instant;

/**
 * One window of a calendar. {@code state}: SCHEDULED, STARTED (its workflow runs), DONE, SKIPPED,
 * NOTHING_TO_DEPLOY, BLACKED_OUT, PAUSED, CANCELLED, MISSED, FAILED.
 *
 * @param id {@code KIND@start-as-generated}: moving a window keeps its id
 */
public record CalendarWindow(
    String id,
    String kind,
    Instant start,
    Instant backup,
    String state,
    String workflowId,
    String note) {

  public CalendarWindow with(String newState, String newWorkflowId, String newNote) {
    return new CalendarWindow(id, kind, start, backup, newState, newWorkflowId, newNote);
  }
}
