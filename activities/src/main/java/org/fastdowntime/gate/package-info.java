/**
 * The outage itself: the connection gates (PostgreSQL's own and pgbouncer's), the preflight, the
 * kick, the outage activity that closes, applies and reopens, and the fail points of the fault
 * matrix.
 */
package org.fastdowntime.gate;
