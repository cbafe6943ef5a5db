package org.fastdowntime.model;

import java.time.Instant;

/**
 * One window of a calendar.
 *
 * @param id {@code KIND@start-as-generated}: moving a window keeps its id
 */
public record CalendarWindow(
        String id, WindowKind kind, Instant start, Instant backup, WindowState state, String workflowId, String note) {

    public CalendarWindow with(WindowState newState, String newWorkflowId, String newNote) {
        return new CalendarWindow(id, kind, start, backup, newState, newWorkflowId, newNote);
    }
}
