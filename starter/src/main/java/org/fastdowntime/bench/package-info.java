/**
 * The benchmarks ({@code fastdowntime bench}): the downtime benchmark's roles — its options ({@link
 * DowntimeBench}), the world it starts ({@link BenchWorld}), the loads ({@link Load}), one repeat of each outage
 * ({@link Repeat}), statistics ({@link Statistics}) and the typed report, rendered as text and JSON ({@link
 * DowntimeReport}) — and the apply and startup benchmarks. Figures are printed, never asserted on time.
 */
package org.fastdowntime.bench;
