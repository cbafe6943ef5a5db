/**
 * The command line for people: start, approve, status, abort, signal, calendar, plan, report,
 * landing-check, worker. Client commands only talk to Temporal (and, read-only, to a database).
 */
package org.fastdowntime.cli;
