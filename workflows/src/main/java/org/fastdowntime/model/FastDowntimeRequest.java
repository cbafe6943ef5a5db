package org.fastdowntime.model;

import java.util.List;

/**
 * The one JSON input of a FastDowntime window, as typed in the Temporal UI:
 * {@code {"environment":"production","windowStart":"2026-12-01T08:30:00Z","patches":["2211-30-0"]}}.
 * Only the environment is required. Fields are strings so a malformed value becomes a clear BAD_INPUT failure
 * instead of a workflow task that cannot even decode its input.
 *
 * @param windowStart ISO-8601 instant; absent, empty or "now" = as soon as QA is done
 * @param patches the cold patches this window may apply; absent = every pending cold patch
 */
public record FastDowntimeRequest(String environment, String windowStart, List<String> patches) {
  public FastDowntimeRequest {
    patches = patches == null ? List.of() : List.copyOf(patches);
  }
}
