package org.fastdowntime.downtime;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.fastdowntime.model.Lenient;
import org.fastdowntime.model.SignalRecord;
import org.slf4j.Logger;

/**
 * Every signal a workflow received with its verdict: who sent it, about what, accepted or why not.
 * Nothing is lost and nothing is accepted silently: an accepted one also goes on the timeline, a
 * rejected one in the log. The one place every downtime workflow judges a signal.
 */
public final class Verdicts {
    private final Supplier<Instant> now;
    private final Consumer<String> timeline;
    private final Logger log;
    private final List<SignalRecord> records = new ArrayList<>();

    /**
     * @param now the workflow's clock
     * @param timeline where accepted signals are noted
     */
    public Verdicts(Supplier<Instant> now, Consumer<String> timeline, Logger log) {
        this.now = now;
        this.timeline = timeline;
        this.log = log;
    }

    /**
     * Records {@code signal} from {@code by} about {@code subject}: rejected with {@code problem}, or
     * accepted (then said as {@code accepted}) when there is none.
     *
     * @return whether it was accepted
     */
    public boolean judge(String signal, String by, String subject, String problem, String accepted) {
        String who = Lenient.shown(by);
        String what = Lenient.shown(subject);
        records.add(
                new SignalRecord(now.get(), signal, who, what, problem == null, problem == null ? accepted : problem));
        if (problem != null) {
            log.warn(
                    "Signal {} from {}{} rejected: {}",
                    signal,
                    Lenient.printable(who),
                    what == null ? "" : " on " + Lenient.printable(what),
                    Lenient.printable(problem));
        } else {
            timeline.accept(Lenient.printable(
                    signal + " from " + who + (what == null ? "" : " for " + what) + ": " + accepted + "."));
        }
        return problem == null;
    }

    /** Rejects without judging: the workflow ended before it could (said in {@code why}). */
    public void unjudged(String signal, String by, String subject, String why) {
        records.add(new SignalRecord(now.get(), signal, Lenient.shown(by), Lenient.shown(subject), false, why));
    }

    public List<SignalRecord> all() {
        return List.copyOf(records);
    }
}
