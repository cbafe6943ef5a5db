package org.fastdowntime.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The monthly process's people and numbers for one environment (no paths, no secrets).
 *
 * @param parties party name → who may confirm or propose windows for it
 * @param leads who may approve landings in RC mode, bless CI and abort
 * @param minNotice windows closer than this are refused (7 days)
 * @param confirmLead confirmation is due this long before the main window; then escalation (5 days)
 * @param reminderLead re-announcement before the window (4 h)
 * @param servicesPauseLead services may pause this long before (30 min)
 * @param mergeLead the QA-ok merge from db-stable happens this long before (48 h)
 * @param windowLength the window (90 min)
 * @param estimateOverhead production estimate = 2 × staging + this (10 min)
 * @param offTrackLimit abort when the outage runs this much past its plan (30 min)
 * @param backupNotice a rescheduled window is announced at least this long ahead (24 h)
 * @param postRolloutWatch incidents are recorded for this long after the rollout (24 h)
 * @param ciPolled whether a CI status URL is polled besides the ciBlessed signal
 * @param fast the environment's outage policy (approvers, budgets, leads), shared with fast
 *     downtime
 */
public record MonthlyPolicy(
        String environment,
        Map<String, List<String>> parties,
        List<String> leads,
        Duration minNotice,
        Duration confirmLead,
        Duration reminderLead,
        Duration servicesPauseLead,
        Duration mergeLead,
        Duration windowLength,
        Duration estimateOverhead,
        Duration offTrackLimit,
        Duration backupNotice,
        Duration postRolloutWatch,
        boolean ciPolled,
        Duration ciPollInterval,
        EnvironmentPolicy fast) {

    /**
     * Launchpad's estimate of a monthly window's outage: twice the patches' time on staging, plus the
     * overhead, in seconds.
     */
    public static double estimateSeconds(double stagingSeconds, Duration overhead) {
        return 2 * stagingSeconds + overhead.toMillis() / 1000.0;
    }

    public double estimateSeconds(double stagingSeconds) {
        return estimateSeconds(stagingSeconds, estimateOverhead);
    }

    /** Whether patches taking {@code stagingSeconds} on staging fit the window by the estimate. */
    public boolean fits(double stagingSeconds) {
        return estimateSeconds(stagingSeconds) <= windowLength.toMillis() / 1000.0;
    }

    public boolean isLead(String who) {
        return who != null && leads.contains(who);
    }

    public boolean inParty(String party, String who) {
        return who != null && parties.getOrDefault(party, List.of()).contains(who);
    }

    public boolean isAnyone(String who) {
        return who != null
                && (isLead(who)
                        || fast.canApprove(who)
                        || fast.canSignOff(who)
                        || parties.values().stream().anyMatch(l -> l.contains(who)));
    }
}
