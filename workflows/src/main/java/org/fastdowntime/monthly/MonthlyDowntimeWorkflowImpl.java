package org.fastdowntime.monthly;

import static org.fastdowntime.model.MonthlyStage.CONFIRMING;
import static org.fastdowntime.model.MonthlyStage.DONE;
import static org.fastdowntime.model.MonthlyStage.STARTING;
import static org.fastdowntime.model.MonthlyStage.WAITING_FOR_MERGE;
import static org.fastdowntime.monthly.MergePlan.shortSha;

import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.fastdowntime.downtime.ActivityStubs;
import org.fastdowntime.downtime.AfterCommit;
import org.fastdowntime.downtime.Journal;
import org.fastdowntime.downtime.WindowFailures;
import org.fastdowntime.downtime.WindowOutcome;
import org.fastdowntime.model.AbortSignal;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.MonthlyDowntimeRequest;
import org.fastdowntime.model.MonthlySignals;
import org.fastdowntime.model.MonthlyStatus;
import org.fastdowntime.model.OutageReport;
import org.fastdowntime.model.Outcome;
import org.fastdowntime.model.RevisionStatement;
import org.fastdowntime.model.SignedStatement;
import org.fastdowntime.model.StatementText;
import org.fastdowntime.time.Clock;
import org.slf4j.Logger;

/**
 * The Temporal shell of the monthly process: the order of its parts, its signals and its query.
 * The weeks before the window are {@link Preparation}; the window and after are {@link
 * TimedWindow}; signals are judged by {@link MonthlyInbox}; what they all share is one {@link
 * Month}.
 */
public class MonthlyDowntimeWorkflowImpl implements MonthlyDowntimeWorkflow {
    private static final Logger log = Workflow.getLogger(MonthlyDowntimeWorkflowImpl.class);

    private final Month m;
    private final MonthlyInbox signals;
    private boolean finished;
    /** The nonces of the signed QA-oks counted, each usable once. */
    private final java.util.Set<String> nonces = new java.util.HashSet<>();

    private OutageReport outage;
    private AfterCommit afterCommit;

    @WorkflowInit
    public MonthlyDowntimeWorkflowImpl(MonthlyDowntimeRequest request) {
        String environment = request == null ? null : request.environment();
        m = new Month(
                environment, Workflow.getInfo().getWorkflowId(), request == null ? List.of() : request.cowboys(), log);
        signals = new MonthlyInbox(m);
    }

    @Override
    public MonthlyResult run(MonthlyDowntimeRequest request) {
        Promise<Void> background = Async.procedure(this::background);
        WindowOutcome outcome = WindowOutcome.begin(m.environment, MonthlyDowntimeWorkflow.TYPE);
        try {
            MonthlyResult r = process(request);
            outcome.ended(r.outcome(), r.applied().size(), 0);
            return r;
        } catch (ApplicationFailure e) {
            outcome.failed(e);
            throw e;
        } catch (CanceledFailure e) {
            outcome.cancelled(m::cancelled);
            throw e;
        } finally {
            finished = true;
            Workflow.newDetachedCancellationScope(() -> background.get()).run();
        }
    }

    private MonthlyResult process(MonthlyDowntimeRequest request) {
        start(request);
        Preparation before = new Preparation(m);
        before.confirmWindows();
        m.announce.announced(m.windows().main(), m.windows().backup(), m.policy());
        m.journal.stage(WAITING_FOR_MERGE);
        m.awaitOrAbort(m.windows().main().minus(m.policy().mergeLead()));
        if (!before.merge(request.dbStable())) {
            m.ending.ended("Nothing QA-ok to merge from db-stable: no downtime needed.");
            m.journal.end(DONE, m.ending.message());
            m.announce.notNeeded(m.windows().main(), m.ending.message());
            return new MonthlyResult(Outcome.NOTHING_TO_MERGE, m.ending.message(), null, List.of(), 0, 0);
        }
        before.awaitCi();
        before.upgradeQastaging();
        if (m.release.allBackedOut() != null) {
            return m.nothingLeft(m.release.allBackedOut());
        }
        m.leaveRc("qastaging is re-QA'd");
        m.journal.note("RC mode off: devel is open again.");
        TimedWindow window = new TimedWindow(m);
        outage = window.run();
        if (outage == null) {
            return m.nothingLeft(window.noOutage() != null ? window.noOutage() : m.release.allBackedOut());
        }
        m.journal.labelNotes(org.fastdowntime.model.MonthlyStage.POST_CHECKS);
        afterCommit = AfterCommit.check(m.longDb, m.db, m.environment, outage, m.journal);
        if (afterCommit != null) {
            outage = afterCommit.outage();
        }
        return window.watchAfterRollout(outage, afterCommit);
    }

    /** Checks the input, loads the policy and the windows, then opens the inbox. */
    private void start(MonthlyDowntimeRequest request) {
        if (request == null || m.environment == null || m.environment.isBlank()) {
            throw m.fail(FailureType.BAD_INPUT, "the input needs an \"environment\"");
        }
        Instant main = instant("main", request.main());
        Instant backup = instant("backup", request.backup());
        try {
            m.policyLoaded(m.monthly.loadMonthlyPolicy(m.environment));
        } catch (RuntimeException e) {
            WindowFailures.Reason r = WindowFailures.of(e);
            throw m.fail(r.type(), r.message());
        }
        List<String> parties =
                request.parties().isEmpty() ? List.copyOf(m.policy().parties().keySet()) : request.parties();
        for (String p : parties) {
            if (!m.policy().parties().containsKey(p)) {
                throw m.fail(
                        FailureType.BAD_INPUT,
                        "unknown party '" + p + "'; configured: "
                                + m.policy().parties().keySet());
            }
        }
        Negotiation n = new Negotiation(m.policy(), parties, main, backup);
        String problem = n.problem(main, backup, Clock.now());
        if (problem != null) {
            throw m.fail(FailureType.BAD_INPUT, problem);
        }
        m.negotiating(n);
        Journal.window(main);
        m.journal.event(
                STARTING, "Monthly downtime of " + m.environment + ": main " + main + ", backup " + backup + ".");
        m.journal.stage(CONFIRMING);
        m.inbox.open();
    }

    private Instant instant(String field, String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (RuntimeException e) {
            throw m.fail(
                    FailureType.BAD_INPUT,
                    "\"" + field + "\" must be an ISO-8601 time with an offset, e.g. 2026-12-08T22:00:00Z (got \""
                            + text + "\")");
        }
    }

    /** Landing approvals and announcements, which signals ask for and activities carry out. */
    private void background() {
        while (true) {
            Workflow.await(
                    () -> finished || m.release.hasLanding() || m.release.hasBackOut() || m.announce.hasQueued());
            if (m.release.hasBackOut()) {
                new Preparation(m).backOut(m.release.takeBackOut());
            } else if (m.release.hasLanding()) {
                String commit = m.release.takeLanding();
                try {
                    m.monthly.approveLanding(m.environment, commit);
                    m.journal.note("Landing of " + shortSha(commit) + " approved in RC mode.");
                } catch (RuntimeException e) {
                    m.journal.note("Recording the landing approval of " + commit + " failed: "
                            + WindowFailures.of(e).message());
                }
            } else if (m.announce.hasQueued()) {
                m.announce.sendNext();
            } else if (finished) {
                return;
            }
        }
    }

    // ---- signals and the query --------------------------------------------------------------------

    @Override
    public void confirmWindow(MonthlySignals.Window s) {
        signals.confirmWindow(s);
    }

    @Override
    public void proposeWindow(MonthlySignals.Window s) {
        signals.proposeWindow(s);
    }

    @Override
    public void qaOk(MonthlySignals.Revision s) {
        signals.qaOk(s);
    }

    @Override
    public String qaOkSigned(SignedStatement s) {
        RevisionStatement st = RevisionStatement.parse(s.statement());
        Workflow.await(() -> m.policy() != null || finished);
        String problem = signedProblem(st);
        if (problem == null) {
            problem = ActivityStubs.approvals().checkSignature(m.environment, s, st.by(), st.time());
        }
        String refused = signals.qaOkSigned(new MonthlySignals.Revision(st.revision(), st.by(), st.note()), problem);
        if (refused != null) {
            throw ApplicationFailure.newNonRetryableFailure(refused, "APPROVAL_REFUSED");
        }
        nonces.add(st.nonce());
        return "QA-ok of " + st.revision() + " by " + st.by() + ", signed";
    }

    @Override
    public void validateQaOkSigned(SignedStatement s) {
        if (s == null || s.statement() == null || s.signature() == null) {
            throw new IllegalArgumentException("the payload needs \"statement\" and \"signature\"");
        }
        String problem = signedProblem(RevisionStatement.parse(s.statement()));
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** The statement must be for this environment, fresh and new. */
    private String signedProblem(RevisionStatement st) {
        if (!st.environment().equals(m.environment)) {
            return "the statement is for environment " + st.environment() + ", not " + m.environment;
        }
        String stale = StatementText.staleness(st.time(), Clock.now());
        return stale != null ? stale : nonces.contains(st.nonce()) ? "replayed: this statement was already used" : null;
    }

    @Override
    public void ciBlessed(MonthlySignals.Revision s) {
        signals.ciBlessed(s);
    }

    @Override
    public void approveLanding(MonthlySignals.Landing s) {
        signals.approveLanding(s);
    }

    @Override
    public void qastagingOk(MonthlySignals.By s) {
        signals.qastagingOk(s);
    }

    @Override
    public void cowboy(MonthlySignals.Cowboy s) {
        signals.cowboy(s);
    }

    @Override
    public void backOut(MonthlySignals.BackOut s) {
        signals.backOut(s);
    }

    @Override
    public void abort(AbortSignal s) {
        signals.abort(s);
    }

    @Override
    public void reportIssue(MonthlySignals.Issue s) {
        signals.reportIssue(s);
    }

    @Override
    public MonthlyStatus status() {
        Negotiation w = m.windows();
        return new MonthlyStatus(
                m.environment,
                m.journal.stage(),
                w == null ? null : w.main(),
                w == null ? null : w.backup(),
                w == null ? Map.of() : w.confirmations(),
                m.plan.revisions(),
                m.plan.merged(),
                m.plan.budget(),
                m.release.rcMode(),
                m.release.cowboys(),
                m.release.incidents(),
                m.verdicts.all(),
                m.journal.timeline(),
                outage,
                m.ending.failureType(),
                m.ending.message(),
                afterCommit == null ? List.of() : afterCommit.warnings(),
                afterCommit == null ? null : afterCommit.preflight());
    }
}
