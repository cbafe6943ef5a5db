package org.fastdowntime.ports;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;
import org.fastdowntime.model.AppliedPatch;
import org.fastdowntime.model.EnvironmentPolicy;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchTiming;
import org.fastdowntime.model.PreflightReport;
import org.fastdowntime.model.ResolvedPatches;
import org.fastdowntime.model.SealedBundle;
import org.fastdowntime.model.StandbyCatchUp;

/** Short calls to an environment's database and configuration. */
@ActivityInterface
public interface DatabaseActivities {

    /**
     * People and budgets of an environment; fails UNKNOWN_ENVIRONMENT (not retryable) for a name not
     * configured.
     */
    @ActivityMethod(name = "LoadPolicy")
    EnvironmentPolicy loadPolicy(String environment);

    /**
     * Pending patches of the environment; {@code requested} (when not empty) narrows the cold
     * candidates. Fails PLAN_INVALID when the patch set is unsafe (drift, bad files, …) or a
     * requested id is not pending.
     */
    @ActivityMethod(name = "ResolvePatches")
    ResolvedPatches resolvePatches(String environment, List<PatchId> requested);

    /**
     * The engine's timing test on the environment's staging database: applied, timed, rolled back.
     */
    @ActivityMethod(name = "TimeOnStaging")
    List<PatchTiming> timeOnStaging(String environment, List<PatchId> patches);

    /**
     * Brings the environment's staging up with what a window of it applied: those of {@code applied} staging lacks,
     * each only if its file is still the one applied (by checksum), the COLD ones in one transaction, recorded in
     * staging's history as {@code deploymentId}'s. Returns those applied (none when staging had them, or there is no
     * staging); fails PATCH_CHANGED, changing nothing, when a file differs from what was applied.
     */
    @ActivityMethod(name = "FollowOnStaging")
    List<PatchId> followOnStaging(String environment, List<AppliedPatch> applied, String deploymentId);

    /** One LIVE patch, outside any transaction and outside the outage, recorded after success. */
    @ActivityMethod(name = "ApplyLivePatch")
    AppliedPatch applyLivePatch(String environment, PatchCandidate patch, String deploymentId);

    /** Launchpad's preflight: rights, long transactions, fragile users, standby lag. */
    @ActivityMethod(name = "Preflight")
    PreflightReport preflight(String environment);

    /**
     * After the gate opened: waits until each standby has replayed the window's commit ({@code lsn}),
     * polling every 0.2 s up to the environment's catch-up wait, and says how long each one took or
     * that it did not (then the window runs primary-only). Heartbeats.
     */
    @ActivityMethod(name = "AwaitStandbys")
    List<StandbyCatchUp> awaitStandbys(String environment, String lsn);

    /**
     * Seals the window's bundle once QA has closed: the whole folder must be valid, each approved cold patch
     * still the bytes it was approved as (PATCH_CHANGED otherwise) and still pending (one applied meanwhile is
     * left out); the rest is rehearsed, in order, on staging or on a copy of the schema, and rolled back. With
     * {@code deferFailures} a patch that fails its rehearsal is left out with its error (the bundle's {@code
     * deferred}); without, the rehearsal's failure fails the call (PATCH_FAILED). Nothing of the environment
     * changes.
     */
    @ActivityMethod(name = "SealBundle")
    SealedBundle sealBundle(String environment, List<PatchCandidate> approved, boolean deferFailures);

    /**
     * Claims the environment for the window {@code workflowId}: one window per environment at a time. Fails
     * WINDOW_BUSY, naming the running window that holds it; a claim left by a window that ended is taken over.
     * Idempotent.
     */
    @ActivityMethod(name = "ClaimEnvironment")
    void claimEnvironment(String environment, String workflowId);

    /** Gives the environment back at the end of the window {@code workflowId}; idempotent. */
    @ActivityMethod(name = "ReleaseEnvironment")
    void releaseEnvironment(String environment, String workflowId);

    /** The patches a deployment applied and recorded (empty when it committed nothing). */
    @ActivityMethod(name = "AppliedBy")
    List<PatchId> appliedBy(String environment, String deploymentId);
}
