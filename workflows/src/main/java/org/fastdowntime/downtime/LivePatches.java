package org.fastdowntime.downtime;

import java.util.List;
import java.util.function.Consumer;
import org.fastdowntime.model.AppliedPatch;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.ports.DatabaseActivities;

/**
 * Applies pending LIVE patches one at a time, outside any outage: one that fails stays pending and
 * is said on the timeline; it never fails the window.
 */
public final class LivePatches {
    private LivePatches() {}

    /** Applies each in turn; returns those that were applied. */
    public static List<AppliedPatch> apply(
            DatabaseActivities db,
            String environment,
            String deploymentId,
            List<PatchCandidate> live,
            Consumer<String> timeline) {
        List<AppliedPatch> applied = new java.util.ArrayList<>();
        for (PatchCandidate p : live) {
            try {
                AppliedPatch a = db.applyLivePatch(environment, p, deploymentId);
                applied.add(a);
                timeline.accept(String.format("%s applied live in %.1f seconds.", a.id(), a.seconds()));
            } catch (RuntimeException e) {
                timeline.accept("Live patch "
                        + p.id()
                        + " failed and stays pending: "
                        + WindowFailures.of(e).message());
            }
        }
        return applied;
    }
}
