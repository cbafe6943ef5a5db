package org.fastdowntime.model;

import java.time.Instant;

/**
 * Every signal a window received, accepted or not: nothing is lost and nothing is silently
 * accepted.
 */
public record SignalRecord(Instant at, String signal, String by, String patch, boolean accepted, String reason) {}
