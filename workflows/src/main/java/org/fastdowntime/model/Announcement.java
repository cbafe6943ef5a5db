package org.fastdowntime.model;

/**
 * A lifecycle announcement. {@code key} makes it idempotent: a retried activity never posts the same key twice.
 */
public record Announcement(String environment, String workflowId, String event, String text, String key) {}
