package org.fastdowntime.model;

/**
 * How a patch must be applied.
 *
 * <ul>
 *   <li>{@link #LIVE}: contains statements PostgreSQL refuses inside a transaction block (CREATE
 *       INDEX CONCURRENTLY, …). Runs outside any transaction and outside the outage, statement by
 *       statement.
 *   <li>{@link #COLD}: everything else. Runs inside the outage, in the window's single transaction.
 * </ul>
 */
public enum PatchKind {
    LIVE,
    COLD
}
