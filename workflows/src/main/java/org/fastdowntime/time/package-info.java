/**
 * Workflow time and durations: {@code Clock} reads time only through {@code
 * Workflow.currentTimeMillis()}; {@code Durations} parses "5s", "1h", ISO-8601.
 */
package org.fastdowntime.time;
