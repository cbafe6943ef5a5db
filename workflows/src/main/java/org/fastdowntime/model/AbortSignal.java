package org.fastdowntime.model;

/** Payload of {@code abort}: {@code {"reason":"…","by":"…"}}. */
public record AbortSignal(String reason, String by) {}
