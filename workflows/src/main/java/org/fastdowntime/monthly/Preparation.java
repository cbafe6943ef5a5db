package org.fastdowntime.monthly;

import static org.fastdowntime.model.MonthlyStage.AWAITING_CI;
import static org.fastdowntime.model.MonthlyStage.AWAITING_QASTAGING;
import static org.fastdowntime.model.MonthlyStage.MERGING;
import static org.fastdowntime.model.MonthlyStage.RC_MODE;
import static org.fastdowntime.model.MonthlyStage.UPGRADING_QASTAGING;
import static org.fastdowntime.monthly.MergePlan.shortSha;

import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.List;
import org.fastdowntime.downtime.WindowFailures;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.MonthlySignals;
import org.fastdowntime.model.MonthlyStage;
import org.fastdowntime.model.PatchTiming;
import org.fastdowntime.model.RevisionInfo;
import org.fastdowntime.time.Clock;

/**
 * The weeks before a monthly window, in order: every party confirms the windows (or proposes
 * others; an escalation when late), the QA-ok merge from db-stable within the budget and RC mode,
 * CI's blessing, qastaging's upgrade and re-QA. Workflow code: it waits and calls activities.
 */
final class Preparation {
    private final Month m;

    Preparation(Month m) {
        this.m = m;
    }

    void confirmWindows() {
        boolean escalated = false;
        while (!m.windows().allConfirmed()) {
            Instant escalateAt = m.windows().main().minus(m.policy().confirmLead());
            Instant lastChance = m.windows().main().minus(m.policy().mergeLead());
            Instant next = Clock.now().isBefore(escalateAt) ? escalateAt : lastChance;
            boolean woke = Workflow.await(
                    Clock.until(next),
                    () -> m.windows().allConfirmed() || m.windows().changed() || m.release.abort() != null);
            if (m.release.abort() != null) {
                throw m.abortBeforeWindow();
            }
            if (m.windows().takeChanged()) {
                m.journal.note("New windows proposed: main "
                        + m.windows().main()
                        + ", backup "
                        + m.windows().backup()
                        + "; confirmations start again.");
                continue;
            }
            if (!woke && !Clock.now().isBefore(lastChance)) {
                throw m.fail(
                        FailureType.WINDOW_NOT_CONFIRMED,
                        "the windows were not confirmed by "
                                + m.windows().missing()
                                + " before the merge deadline "
                                + lastChance);
            }
            if (!woke && !escalated) {
                escalated = true;
                m.announce.escalation(m.windows().main(), m.windows().missing());
            }
        }
        m.journal.note("Windows confirmed by " + m.windows().confirmations() + ".");
    }

    boolean merge(String dbStable) {
        m.journal.stage(MERGING);
        List<RevisionInfo> pending = m.monthly.pendingRevisions(m.environment, dbStable);
        MergePlan.Prefix prefix = m.plan.prefix(pending);
        List<PatchTiming> timings =
                prefix.carriesPatches() ? m.monthly.timeRevision(m.environment, prefix.last()) : List.of();
        String merged = m.plan.plan(pending, prefix, timings, m.policy());
        if (merged == null) {
            return false;
        }
        m.release.merged(merged, m.monthly.mergeAndEnterRc(m.environment, merged, m.workflowId));
        m.journal.stage(RC_MODE);
        m.journal.note("Merged db-stable "
                + shortSha(merged)
                + " into devel as "
                + shortSha(m.release.mergeCommit())
                + "; RC mode on: only [release-critical=…] or approved"
                + " landings.");
        m.announce.rcMode();
        return true;
    }

    void awaitCi() {
        m.journal.stage(AWAITING_CI);
        Instant deadline = m.windows().main().minus(m.policy().reminderLead());
        while (m.release.ciBlessedBy() == null) {
            Instant poll = Clock.now().plus(m.policy().ciPollInterval());
            Instant next = m.policy().ciPolled() && poll.isBefore(deadline) ? poll : deadline;
            Workflow.await(Clock.until(next), () -> m.release.ciBlessedBy() != null || m.release.stopped());
            if (m.release.abort() != null) {
                throw m.abortBeforeWindow();
            }
            if (m.release.allBackedOut() != null) {
                return;
            }
            if (m.release.ciBlessedBy() == null
                    && m.policy().ciPolled()
                    && m.monthly.ciPassed(m.environment, m.release.mergeCommit())) {
                m.release.ciBlessedBy("CI");
            }
            if (m.release.ciBlessedBy() == null && !Clock.now().isBefore(deadline)) {
                throw m.failInRc(
                        FailureType.CI_NOT_BLESSED,
                        "CI did not bless " + shortSha(m.release.mergeCommit()) + " by " + deadline);
            }
        }
        m.journal.note("CI blessed " + shortSha(m.release.mergeCommit()) + " (" + m.release.ciBlessedBy() + ").");
    }

    void upgradeQastaging() {
        if (m.release.allBackedOut() != null) {
            return;
        }
        m.journal.stage(UPGRADING_QASTAGING);
        m.monthly.upgradeQastaging(m.environment).forEach(m.journal::note);
        m.journal.stage(AWAITING_QASTAGING);
        Instant deadline = m.windows().main().minus(m.policy().reminderLead());
        Workflow.await(Clock.until(deadline), () -> m.release.qastagingOkBy() != null || m.release.stopped());
        if (m.release.abort() != null) {
            throw m.abortBeforeWindow();
        }
        if (m.release.allBackedOut() != null) {
            return;
        }
        if (m.release.qastagingOkBy() == null) {
            throw m.failInRc(FailureType.QASTAGING_NOT_OK, "qastaging was not re-QA'd by " + deadline);
        }
        m.journal.note("qastaging re-QA'd by " + m.release.qastagingOkBy() + ".");
    }

    /**
     * Carries out a lead's back-out after the merge: the revision and every revision merged after it
     * are reverted in devel (one commit tagged release-critical), the plan and budget are made again,
     * and it is said and announced. A revert that does not apply cleanly changes nothing and is said.
     */
    void backOut(MonthlySignals.BackOut s) {
        String problem = m.plan.backOutProblem(s.revision());
        if (problem != null) {
            m.journal.note("Back-out of " + s.revision() + " by " + s.by() + " not carried out: " + problem + ".");
            return;
        }
        String why = "backed out by " + s.by() + ": " + s.reason();
        List<String> revert = m.plan.toRevert(s.revision());
        String head;
        try {
            head = m.monthly.backOut(
                    m.environment, revert, why, m.workflowId + "/back-out-" + (m.release.backedOutCount() + 1));
        } catch (RuntimeException e) {
            String failed = "Backing out " + shortSha(revert.get(revert.size() - 1)) + " failed: "
                    + WindowFailures.of(e).message() + "; nothing was changed.";
            m.journal.note(failed);
            m.announce.incident("back-out", failed);
            return;
        }
        m.plan.backOutMerged(s.revision(), why);
        m.release.reverted(head, m.plan.merged());
        String left = m.plan.merged() == null
                ? "nothing is left to deploy"
                : String.format(
                        "the window now deploys up to %s (estimate %.1f min)",
                        shortSha(m.plan.merged()), m.plan.budget().estimateSeconds() / 60);
        if (m.plan.merged() == null) {
            m.release.allBackedOut("everything merged was " + why);
        }
        String said = "Backed out " + revert.size() + " revision(s) from " + shortSha(revert.get(revert.size() - 1))
                + " (" + why + "): reverted in devel as " + shortSha(head) + "; " + left + "."
                + (m.journal.stage().compareTo(MonthlyStage.UPGRADING_QASTAGING) >= 0
                        ? " qastaging still has their patches: refresh it before its re-QA."
                        : "");
        m.journal.note(said);
        m.announce.backedOut(m.release.backedOutCount(), said);
    }
}
