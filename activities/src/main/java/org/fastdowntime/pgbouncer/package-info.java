/**
 * The pgbouncer gate: PAUSE/RESUME with a bounded wait, DISABLE + KILL as the fallback, its admin
 * console through psql, and a local pgbouncer for tests and the benchmark.
 */
package org.fastdowntime.pgbouncer;
