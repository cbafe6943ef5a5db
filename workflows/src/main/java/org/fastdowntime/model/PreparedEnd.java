package org.fastdowntime.model;

import java.time.Instant;

/**
 * What finishing a member's prepared transaction did: {@code committed}, {@code rolled back}, {@code already
 * committed} (a retry after the first attempt did it) or {@code nothing prepared} (the member never prepared, or a
 * retry after a rollback), and when its gate opened.
 */
public record PreparedEnd(String action, Instant gateOpenedAt) {}
