package org.fastdowntime.downtime;

import java.util.ArrayList;
import java.util.List;

/**
 * Holds signals that arrive before a workflow can judge them (before it knows who may approve and
 * what the candidates are), so one sent right after the start is neither lost nor judged against
 * half-built state. Opened once; from then on deliveries are judged at once, the held ones first,
 * in arrival order.
 */
public final class Inbox {
    /** A held signal: judge it, or reject it unjudged when the workflow ended first. */
    public interface Delivery {
        void judge();

        void unjudged(String why);
    }

    private final List<Delivery> held = new ArrayList<>();
    private boolean open;

    /** Judges {@code d} now if the inbox is open, else keeps it. */
    public void deliver(Delivery d) {
        if (open) {
            d.judge();
        } else {
            held.add(d);
        }
    }

    /** From now on signals are judged; the held ones are judged first, in arrival order. */
    public void open() {
        open = true;
        List<Delivery> now = List.copyOf(held);
        held.clear();
        now.forEach(Delivery::judge);
    }

    /** The workflow ended before it could judge: every held signal is rejected with {@code why}. */
    public void close(String why) {
        open = true;
        List<Delivery> now = List.copyOf(held);
        held.clear();
        now.forEach(d -> d.unjudged(why));
    }

    public boolean isOpen() {
        return open;
    }
}
