package org.fastdowntime.model;

import java.util.Map;

/**
 * A lifecycle announcement. {@code key} makes it idempotent: a retried activity never posts the
 * same key twice. {@code fields} carry what a machine reading it wants (window start, patches,
 * outage duration…).
 */
public record Announcement(
        String environment, String workflowId, String event, String text, String key, Map<String, String> fields) {
    public Announcement {
        fields = fields == null ? Map.of() : Map.copyOf(new java.util.TreeMap<>(fields));
    }

    public Announcement(String environment, String workflowId, String event, String text, String key) {
        this(environment, workflowId, event, text, key, Map.of());
    }
}
