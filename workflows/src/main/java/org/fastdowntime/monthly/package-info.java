/**
 * MonthlyDowntime: the older, longer process (window negotiation, the QA-ok merge, the budget, RC
 * mode, CI and qastaging, the timed window with abort to the backup).
 */
package org.fastdowntime.monthly;
