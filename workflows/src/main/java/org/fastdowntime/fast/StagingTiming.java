package org.fastdowntime.fast;

import static org.fastdowntime.model.FastStage.TIMING;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.fastdowntime.downtime.Change;
import org.fastdowntime.downtime.Journal;
import org.fastdowntime.model.EnvironmentPolicy;
import org.fastdowntime.model.FastStage;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchTiming;
import org.fastdowntime.time.Durations;

/**
 * The candidates timed on staging before QA opens: each patch's time (a sign-off beyond the per-patch budget) and
 * their total against the window's budget. Workflow code: the timings come from one activity call.
 */
final class StagingTiming {
    private StagingTiming() {}

    static void time(
            Journal<FastStage> journal, QaGate qa, EnvironmentPolicy policy, Supplier<List<PatchTiming>> timings) {
        journal.stage(TIMING);
        if (!policy.stagingConfigured()) {
            journal.event(TIMING, "No staging environment configured: patches were not timed.");
            return;
        }
        for (PatchTiming t : timings.get()) {
            if (qa.timed(t)) {
                journal.event(TIMING, line(t));
            }
        }
        Duration budget = policy.stagingTotal();
        // Change "staging-total": the budget is the candidates' total, not only each patch's time.
        if (budget != null && qa.stagingTotal() > budget.toMillis() / 1000.0 && Change.STAGING_TOTAL.isOn()) {
            List<PatchId> over = qa.overTotal(budget);
            journal.event(
                    TIMING,
                    String.format(
                            "Staging total %.1f s is over the window's budget of %s%s.",
                            qa.stagingTotal(),
                            Durations.format(budget),
                            over.isEmpty()
                                    ? ""
                                    : ": " + PatchId.join(over) + " need a sign-off, or wait for a later window"));
        }
    }

    private static String line(PatchTiming t) {
        String over = t.needsSignOff() ? " (over budget: needs sign-off)" : "";
        if (PatchTiming.NONE.equals(t.source())) {
            return t.id() + " is on staging already, applied with no recorded time: needs sign-off.";
        }
        return PatchTiming.HISTORY.equals(t.source())
                ? String.format("%s is on staging already: it took %.1f seconds there%s.", t.id(), t.seconds(), over)
                : String.format("%s applied just now in %.1f seconds on staging%s.", t.id(), t.seconds(), over);
    }
}
