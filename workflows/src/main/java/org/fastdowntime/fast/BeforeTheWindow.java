package org.fastdowntime.fast;

import static org.fastdowntime.model.FastStage.AWAITING_QA;
import static org.fastdowntime.model.FastStage.QUIESCED;
import static org.fastdowntime.model.FastStage.WAITING_FOR_WINDOW;

import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.fastdowntime.downtime.Change;
import org.fastdowntime.downtime.Journal;
import org.fastdowntime.downtime.WindowMetrics;
import org.fastdowntime.model.EnvironmentPolicy;
import org.fastdowntime.model.FastStage;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.ports.WindowActivities;
import org.fastdowntime.time.Clock;
import org.fastdowntime.time.Durations;

/**
 * A fast window's waits before its outage: for QA until its deadline (or every candidate decided), then for the
 * quiesce lead, when background jobs are quiesced and the window announced. An abort ends either wait. Workflow
 * code: timers and activity calls only.
 */
final class BeforeTheWindow {
    private final Journal<FastStage> journal;
    private final QaGate qa;
    private final LedgerLink ledger;
    private final WindowEnd end;
    private final WindowAnnouncements announce;
    private final WindowActivities window;
    private final String environment;
    private ShortNotice shortNotice = ShortNotice.NONE;

    BeforeTheWindow(
            Journal<FastStage> journal,
            QaGate qa,
            LedgerLink ledger,
            WindowEnd end,
            WindowAnnouncements announce,
            WindowActivities window,
            String environment) {
        this.journal = journal;
        this.qa = qa;
        this.ledger = ledger;
        this.end = end;
        this.announce = announce;
        this.window = window;
        this.environment = environment;
    }

    /** Waits for QA until {@code qaDeadline}, counting the approval ledger's verdicts; what is undecided then is
     * deferred to a later window. */
    QaGate.Decision awaitQa(Instant qaDeadline, Instant windowStart, EnvironmentPolicy policy, WindowMetrics metrics) {
        journal.stage(AWAITING_QA);
        journal.event(
                AWAITING_QA,
                "Waiting for QA of " + PatchId.join(qa.ids()) + " until " + qaDeadline + "."
                        + (windowStart != null
                                ? ""
                                : " The window starts the quiesce lead (" + Durations.format(policy.quiesceLead())
                                        + ") after QA is done, at the latest " + qaDeadline.plus(policy.quiesceLead())
                                        + "."));
        if (windowStart != null) {
            shortNotice = ShortNotice.plan(windowStart, qaDeadline, policy);
            shortNotice.warnings().forEach(w -> journal.event(AWAITING_QA, "Short notice: " + w + "."));
        }
        Instant from = Clock.now();
        ledger.open();
        while (true) {
            Workflow.await(Clock.until(qaDeadline), () -> qa.abort() != null || qa.allDecided() || ledger.pending());
            if (qa.abort() != null || !ledger.pending()) {
                break;
            }
            ledger.sync();
        }
        ledger.beforeClose(); // an aborted window's approvals still count for the next one
        QaGate.Decision decision = qa.close();
        metrics.qaWait(Duration.between(from, Clock.now()));
        if (qa.abort() != null) {
            throw end.aborted();
        }
        List<PatchId> deferred = decision.deferred();
        if (!deferred.isEmpty()) {
            journal.event(AWAITING_QA, "Deferred (not approved by the QA deadline): " + PatchId.join(deferred) + ".");
            announce.deferred(PatchId.join(deferred));
        }
        return decision;
    }

    /** What the window's start takes from its leads (none for a window that starts when QA is done). */
    List<String> shortLeads() {
        return shortNotice.warnings();
    }

    /** Waits for the quiesce lead, quiesces and announces; returns whether the outage is armed. */
    boolean quiesce(QaGate.Decision decision, Instant windowStart, EnvironmentPolicy policy) {
        journal.stage(WAITING_FOR_WINDOW);
        if (Workflow.await(Clock.until(windowStart.minus(policy.quiesceLead())), () -> qa.abort() != null)) {
            throw end.aborted();
        }
        journal.stage(QUIESCED);
        String shortQuiesce = ShortNotice.took(
                "background jobs were quiesced", windowStart, Clock.now(), ShortNotice.nominalQuiesce(policy));
        if (shortQuiesce != null) {
            journal.note(shortQuiesce);
        }
        journal.hooks("Quiesce", () -> window.quiesce(environment));
        end.quiesced();
        String approved = PatchId.join(
                decision.approved().stream().map(PatchCandidate::id).toList());
        String deferred = PatchId.join(decision.deferred());
        announce.announced(windowStart, approved, deferred, shortNotice.said());
        // Change "armed-outage": preflight before the window and an armed outage that closes the gate on time at T.
        boolean armed = Change.ARMED_OUTAGE.isOn();
        if (!armed && Workflow.await(Clock.until(windowStart), () -> qa.abort() != null)) {
            throw end.aborted();
        }
        announce.starting(windowStart, policy.outageBudget(), approved);
        return armed;
    }

    /**
     * When the window starts: its own start, or for a window without one, once QA is done (change "now-leads": the
     * quiesce lead after it).
     */
    Instant startAfterQa(Instant windowStart, EnvironmentPolicy policy) {
        if (windowStart != null) {
            return windowStart;
        }
        boolean leads = Change.NOW_LEADS.isOn();
        Instant start = leads ? Clock.now().plus(policy.quiesceLead()) : Clock.now();
        if (leads) {
            journal.event(
                    AWAITING_QA,
                    "QA is done: the window starts at " + start + ", the quiesce lead ("
                            + Durations.format(policy.quiesceLead()) + ") from now.");
        }
        return start;
    }
}
