/**
 * What every downtime workflow shares: the outage core with its compensation ({@code OutageCore}),
 * the activity options declared once per kind ({@code ActivityStubs}), the stage and timeline
 * ({@code Journal}), the judging of signals, failures, metrics and search attributes. Pure process:
 * only {@code Workflow.*}.
 */
package org.fastdowntime.downtime;
