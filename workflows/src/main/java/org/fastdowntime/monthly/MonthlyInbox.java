package org.fastdowntime.monthly;

import java.util.function.Supplier;
import org.fastdowntime.downtime.Inbox;
import org.fastdowntime.downtime.Journal;
import org.fastdowntime.model.AbortSignal;
import org.fastdowntime.model.MonthlySignals;
import org.fastdowntime.time.Clock;

/**
 * Every signal of a monthly downtime: held until the policy (who may do what) is known, then
 * judged by the rules of the state it changes ({@link Negotiation}, {@link MergePlan}, {@link
 * Release}), each verdict kept in the {@link org.fastdowntime.downtime.Verdicts} log.
 */
final class MonthlyInbox {
    private final Month m;

    MonthlyInbox(Month m) {
        this.m = m;
    }

    /**
     * Delivers a signal: {@code problem} judges it (null: accepted, said as {@code accepted}), and
     * {@code apply} carries out an accepted one.
     */
    private void receive(
            String name,
            String by,
            String subject,
            Supplier<String> problem,
            Supplier<String> accepted,
            Runnable apply) {
        m.inbox.deliver(new Inbox.Delivery() {
            @Override
            public void judge() {
                if (m.policy() == null) {
                    unjudged("the downtime failed before judging signals");
                } else if (m.verdicts.judge(name, by, subject, problem.get(), accepted.get())) {
                    apply.run();
                }
            }

            @Override
            public void unjudged(String why) {
                m.verdicts.unjudged(name, by, subject, why);
            }
        });
    }

    void confirmWindow(MonthlySignals.Window s) {
        receive(
                "confirmWindow",
                s == null ? null : s.by(),
                s == null ? null : s.party(),
                () -> m.windows() == null
                        ? "the windows are not known yet"
                        : m.windows().confirmProblem(s, m.journal.stage()),
                () -> "confirmed",
                () -> m.windows().confirm(s));
    }

    void proposeWindow(MonthlySignals.Window s) {
        Negotiation.Proposal[] p = new Negotiation.Proposal[1];
        receive(
                "proposeWindow",
                s == null ? null : s.by(),
                s == null ? null : s.party(),
                () -> {
                    p[0] = m.windows() == null
                            ? new Negotiation.Proposal(null, null, "the windows are not known yet")
                            : m.windows().proposal(s, m.journal.stage(), Clock.now());
                    return p[0].problem();
                },
                () -> "new windows " + (p[0].main() == null ? "" : p[0].main() + " / " + p[0].backup()),
                () -> {
                    m.windows().propose(p[0], s);
                    Journal.window(m.windows().main());
                });
    }

    void qaOk(MonthlySignals.Revision s) {
        receive(
                "qaOk",
                s == null ? null : s.by(),
                s == null ? null : s.revision(),
                () -> m.plan.qaOkProblem(s, m.policy(), m.journal.stage(), false),
                () -> "QA-ok",
                () -> m.plan.qaOk(s));
    }

    /**
     * A signed QA-ok, its signature checked ({@code signature}: null, or why it does not count), judged now: null if
     * accepted, else why not.
     */
    String qaOkSigned(MonthlySignals.Revision s, String signature) {
        String problem = m.policy() == null
                ? "the downtime failed before judging signals"
                : signature != null ? signature : m.plan.qaOkProblem(s, m.policy(), m.journal.stage(), true);
        if (m.verdicts.judge("qaOk", s.by(), s.revision(), problem, "QA-ok (signed)")) {
            m.plan.qaOk(s);
        }
        return problem;
    }

    void ciBlessed(MonthlySignals.Revision s) {
        receive(
                "ciBlessed",
                s == null ? null : s.by(),
                s == null ? null : s.revision(),
                () -> m.release.ciBlessedProblem(s, m.journal.stage(), m.policy()),
                () -> "blessed",
                () -> m.release.ciBlessedBy(s.by()));
    }

    void approveLanding(MonthlySignals.Landing s) {
        receive(
                "approveLanding",
                s == null ? null : s.by(),
                s == null ? null : s.commit(),
                () -> m.release.landingProblem(s, m.policy()),
                () -> "approved",
                () -> m.release.approveLanding(s));
    }

    void qastagingOk(MonthlySignals.By s) {
        receive(
                "qastagingOk",
                s == null ? null : s.by(),
                null,
                () -> m.release.qastagingProblem(s, m.journal.stage(), m.policy()),
                () -> "re-QA ok",
                () -> m.release.qastagingOk(s));
    }

    void cowboy(MonthlySignals.Cowboy s) {
        receive(
                "cowboy",
                s == null ? null : s.by(),
                s == null ? null : s.name(),
                () -> m.release.cowboyProblem(s, m.policy()),
                () -> s == null ? "" : s.state(),
                () -> m.release.cowboy(s));
    }

    void backOut(MonthlySignals.BackOut s) {
        receive(
                "backOut",
                s == null ? null : s.by(),
                s == null ? null : s.revision(),
                () -> m.release.backOutProblem(s, m.journal.stage(), m.policy(), m.plan),
                () -> m.plan.isMerged() ? "accepted: reverting it in devel" : "accepted: left out of the merge",
                () -> {
                    if (m.plan.isMerged()) {
                        m.release.queueBackOut(s);
                    } else {
                        m.plan.backOutBeforeMerge(s.revision(), "backed out by " + s.by() + ": " + s.reason());
                    }
                });
    }

    void abort(AbortSignal s) {
        receive(
                "abort",
                s == null ? null : s.by(),
                null,
                () -> m.release.abortProblem(s, m.journal.stage(), m.policy()),
                () -> "accepted (" + (s == null ? "" : s.reason()) + ")",
                () -> m.release.abort(s));
    }

    void reportIssue(MonthlySignals.Issue s) {
        receive(
                "reportIssue",
                s == null ? null : s.by(),
                null,
                () -> m.release.issueProblem(s, m.journal.stage(), m.policy()),
                () -> "recorded",
                () -> {
                    m.release.incident(Clock.now() + " " + s.by() + ": " + s.summary());
                    m.announce.issue(m.release.incidents().size(), s.by(), s.summary());
                });
    }
}
