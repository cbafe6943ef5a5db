package org.fastdowntime.ports;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;
import org.fastdowntime.model.MonthlyPolicy;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchTiming;
import org.fastdowntime.model.RevisionInfo;

/** The monthly process's dealings with the repository, RC mode, CI and qastaging. */
@ActivityInterface
public interface MonthlyActivities {

    @ActivityMethod(name = "LoadMonthlyPolicy")
    MonthlyPolicy loadMonthlyPolicy(String environment);

    /** db-stable revisions not yet in devel, oldest first, each with the patch files it carries. */
    @ActivityMethod(name = "ListDbStableRevisions")
    List<RevisionInfo> pendingRevisions(String environment, String dbStable);

    /**
     * Staging times of the patches a merge up to {@code revision} would bring (applied, timed, rolled
     * back).
     */
    @ActivityMethod(name = "TimeMergeOnStaging")
    List<PatchTiming> timeRevision(String environment, String revision);

    /**
     * Merges {@code revision} into devel (idempotent) and turns RC mode on; returns the merge commit.
     */
    @ActivityMethod(name = "MergeAndEnterRcMode")
    String mergeAndEnterRc(String environment, String revision, String workflowId);

    /**
     * The patches the merge commit's tree brings to the environment: every patch file of that tree
     * the environment has not applied, each with the SHA-256 it has in the tree (not on disk).
     */
    @ActivityMethod(name = "MergedPatches")
    List<PatchCandidate> mergedPatches(String environment, String commit);

    /**
     * Reverts {@code revisions} (newest first) in devel as one commit tagged release-critical, so RC
     * mode's hook lets it in; idempotent by {@code token}. Returns devel's new head.
     */
    @ActivityMethod(name = "BackOutRevisions")
    String backOut(String environment, List<String> revisions, String why, String token);

    @ActivityMethod(name = "ApproveLanding")
    void approveLanding(String environment, String commit);

    @ActivityMethod(name = "LeaveRcMode")
    void leaveRc(String environment);

    /** Whether the configured CI status URL says the revision passed. */
    @ActivityMethod(name = "CheckCi")
    boolean ciPassed(String environment, String revision);

    /**
     * Applies the merged patches to qastaging for real (live ones, then cold ones in one
     * transaction).
     */
    @ActivityMethod(name = "UpgradeQastaging")
    List<String> upgradeQastaging(String environment);
}
