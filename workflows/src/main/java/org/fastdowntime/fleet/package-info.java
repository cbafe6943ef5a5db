/**
 * Fleet windows: one window over many member databases that share a schema. {@link
 * org.fastdowntime.fleet.FleetDowntimeWorkflow} takes one QA (the ledger of the fleet's environment), seals and
 * rehearses the bundle once, quiesces once, preflights every member and runs each member's outage as a child
 * workflow ({@link org.fastdowntime.fleet.FleetMemberWorkflow}), in waves or atomically (every member prepares, then
 * the recorded decision commits or rolls back all of them). Workflow code: deterministic, no I/O.
 */
package org.fastdowntime.fleet;
