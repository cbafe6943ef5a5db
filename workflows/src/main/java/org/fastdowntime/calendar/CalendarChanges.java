package org.fastdowntime.calendar;

import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.function.Supplier;
import org.fastdowntime.downtime.Verdicts;
import org.fastdowntime.model.CalendarChange;
import org.fastdowntime.model.CalendarWindow;
import org.fastdowntime.model.EnvironmentPolicy;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.WindowKind;
import org.fastdowntime.model.WindowState;

/**
 * The rules of the calendar's updates, as plain code: {@code check…} is what a validator answers at
 * once (an {@link IllegalArgumentException} with the reason, nothing changed); the other methods
 * are what the handler does once who asks is known to be allowed, each change kept in the {@link
 * Verdicts} log with who made it.
 */
final class CalendarChanges {
    private final WindowBook book;
    private final Verdicts verdicts;
    private final Supplier<Instant> now;
    private EnvironmentPolicy policy;

    CalendarChanges(WindowBook book, Verdicts verdicts, Supplier<Instant> now) {
        this.book = book;
        this.verdicts = verdicts;
        this.now = now;
    }

    void policy(EnvironmentPolicy p) {
        policy = p;
    }

    boolean ready() {
        return policy != null;
    }

    // ---- validators ---------------------------------------------------------------------------

    void checkAdd(CalendarChange c) {
        checkAllowed(c);
        book.requireFree(kind(c), time("start", c.start()), null, now.get());
    }

    void checkCancel(CalendarChange c) {
        checkAllowed(c);
        CalendarWindow w = book.find(time("start", c.start()));
        book.requireNotice(w, now.get(), w.start());
    }

    void checkMove(CalendarChange c) {
        checkAllowed(c);
        CalendarWindow w = book.find(time("start", c.start()));
        Instant to = time("newStart", c.newStart());
        book.requireNotice(w, now.get(), w.start(), to);
        book.requireFree(w.kind(), to, w.id(), now.get());
    }

    void checkAddBlackout(CalendarChange c) {
        checkAllowed(c);
        Slots.range(blackout(c));
    }

    void checkRemoveBlackout(CalendarChange c) {
        checkAllowed(c);
        if (!book.hasBlackout(blackout(c))) {
            throw new IllegalArgumentException("no blackout " + blackout(c) + "; there are " + book.blackouts());
        }
    }

    void checkPause(CalendarChange c, boolean pause) {
        checkAllowed(c);
        if (book.paused() == pause) {
            throw new IllegalArgumentException(pause ? "already paused" : "not paused");
        }
    }

    /** Who asks is checked at once, or by the handler while the policy loads. */
    private void checkAllowed(CalendarChange c) {
        if (c != null && c.invalid() != null) {
            throw new IllegalArgumentException(c.invalid());
        }
        if (c == null || c.by() == null || c.by().isBlank()) {
            throw new IllegalArgumentException("the payload needs \"by\"");
        }
        if (policy != null && !policy.canAbort(c.by())) {
            throw new IllegalArgumentException(refusal(c));
        }
    }

    // ---- handlers (the policy is known) -------------------------------------------------------

    CalendarWindow add(CalendarChange c) {
        allowed("addWindow", c);
        CalendarWindow w = book.add(kind(c), time("start", c.start()), c.by());
        return done("addWindow", c, "added " + w.id(), w);
    }

    /** The window returned names its downtime workflow when one was started: cancel it too. */
    CalendarWindow cancel(CalendarChange c) {
        allowed("cancelWindow", c);
        CalendarWindow out = book.cancel(book.find(time("start", c.start())), c.by());
        return done("cancelWindow", c, "cancelled " + out.id(), out);
    }

    /** The window at its new time, and the downtime workflow to cancel (null if none ran). */
    record Moved(CalendarWindow window, String startedWorkflow) {}

    Moved move(CalendarChange c) {
        allowed("moveWindow", c);
        CalendarWindow w = book.find(time("start", c.start()));
        Instant to = time("newStart", c.newStart());
        String child = book.move(w, to);
        CalendarWindow at = new CalendarWindow(
                w.id(), w.kind(), to, book.backupFor(w.kind(), to), WindowState.SCHEDULED, null, "moved by " + c.by());
        return done("moveWindow", c, "moved " + w.id() + " to " + to, new Moved(at, child));
    }

    String addBlackout(CalendarChange c) {
        allowed("addBlackout", c);
        book.addBlackout(blackout(c));
        return done("addBlackout", c, "blackout " + blackout(c), blackout(c));
    }

    String removeBlackout(CalendarChange c) {
        allowed("removeBlackout", c);
        book.removeBlackout(blackout(c));
        return done("removeBlackout", c, "blackout " + blackout(c) + " removed", blackout(c));
    }

    String pause(CalendarChange c, boolean pause) {
        String update = pause ? "pause" : "resume";
        allowed(update, c);
        book.paused(pause);
        return done(update, c, pause ? "paused" : "resumed", update + "d by " + c.by());
    }

    /** A change that arrived before the policy was loaded is judged now. */
    private void allowed(String update, CalendarChange c) {
        if (!policy.canAbort(c.by())) {
            verdicts.judge(update, c.by(), subject(c), refusal(c), null);
            throw ApplicationFailure.newNonRetryableFailure(refusal(c), FailureType.BAD_INPUT.name());
        }
    }

    private <T> T done(String update, CalendarChange c, String what, T result) {
        verdicts.judge(update, c.by(), subject(c), null, what);
        return result;
    }

    // ---- reading a change ---------------------------------------------------------------------

    private static String subject(CalendarChange c) {
        return c.start() != null ? c.start() : c.from();
    }

    private static String refusal(CalendarChange c) {
        return c.by() + " may not change the calendar (not an approver or sign-off approver)";
    }

    private static Instant time(String field, String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "\"" + field + "\" must be an ISO-8601 time with an offset (got \"" + text + "\")");
        }
    }

    private static WindowKind kind(CalendarChange c) {
        String k = c.kind() == null ? WindowKind.FAST.name() : c.kind().toUpperCase(Locale.ROOT);
        try {
            return WindowKind.valueOf(k);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"kind\" is FAST or MONTHLY");
        }
    }

    private static String blackout(CalendarChange c) {
        if (c.from() == null) {
            throw new IllegalArgumentException("the payload needs \"from\" (and \"to\" for a range)");
        }
        return c.to() == null || c.to().equals(c.from()) ? c.from() : c.from() + ".." + c.to();
    }
}
