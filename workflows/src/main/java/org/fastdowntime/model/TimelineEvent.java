package org.fastdowntime.model;

import java.time.Instant;

/** One line of a window's timeline. */
public record TimelineEvent(Instant at, String stage, String message) {}
