/**
 * Everything that builds a throwaway world to show or measure the real thing: the demo, the
 * benchmark, the lead-time simulation, throwaway databases and clusters (installed or embedded
 * PostgreSQL), and the load clients.
 */
package org.fastdowntime.sandbox;
