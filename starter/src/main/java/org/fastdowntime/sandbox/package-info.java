/**
 * Everything that builds a throwaway world to show the real thing: the demo, the lead-time simulation, throwaway
 * databases and clusters (installed or embedded PostgreSQL), and the load clients; the benchmarks use them from
 * {@code org.fastdowntime.bench}.
 */
package org.fastdowntime.sandbox;
