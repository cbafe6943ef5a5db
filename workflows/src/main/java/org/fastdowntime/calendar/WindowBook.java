package org.fastdowntime.calendar;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.fastdowntime.model.CalendarRules;
import org.fastdowntime.model.CalendarState;
import org.fastdowntime.model.CalendarWindow;
import org.fastdowntime.model.WindowKind;
import org.fastdowntime.model.WindowState;
import org.fastdowntime.time.Durations;

/**
 * A calendar's book of windows: the rules' slots, with what people changed (added, moved,
 * cancelled, blackouts, paused) and what happened to each (handled, started, the recent history).
 * Plain state: every method takes the time it needs, so the book is tested without Temporal, and
 * the whole book crosses continue-as-new as one {@link CalendarState}.
 */
final class WindowBook {
    private static final int HISTORY = 200;

    /** A window whose downtime was started (announced) changes only with this much notice. */
    private static final Duration NOTICE = Duration.ofHours(24);

    private final CalendarRules rules;
    private Instant handledUntil;
    private final List<CalendarWindow> added = new ArrayList<>();
    private final Set<String> cancelled = new LinkedHashSet<>();
    private final Map<String, Instant> moved = new LinkedHashMap<>();
    private final Map<String, String> started = new LinkedHashMap<>();
    private final Set<String> handled = new LinkedHashSet<>();
    /** The windows this run started whose downtime has not ended yet (a run continues as new without any). */
    private final Set<String> inFlight = new LinkedHashSet<>();

    private final List<String> blackouts = new ArrayList<>();
    private boolean paused;
    private final List<CalendarWindow> history = new ArrayList<>();
    private int windowsRun;
    private int windowsSkipped;
    private int generation;

    /** A new book from the rules, or the one carried across continue-as-new. */
    WindowBook(CalendarRules rules, CalendarState carried, Instant now) {
        this.rules = rules;
        if (carried == null) {
            handledUntil = now;
            blackouts.addAll(rules.blackouts());
            return;
        }
        handledUntil = carried.handledUntil();
        added.addAll(carried.added());
        cancelled.addAll(carried.cancelled());
        moved.putAll(carried.moved());
        started.putAll(carried.started());
        blackouts.addAll(carried.blackouts());
        paused = carried.paused();
        history.addAll(carried.history());
        history.forEach(w -> handled.add(w.id()));
        windowsRun = carried.windowsRun();
        windowsSkipped = carried.windowsSkipped();
        generation = carried.generation() + 1;
    }

    CalendarState snapshot() {
        return new CalendarState(
                handledUntil,
                List.copyOf(added),
                List.copyOf(cancelled),
                Map.copyOf(moved),
                Map.copyOf(started),
                List.copyOf(blackouts),
                paused,
                List.copyOf(history),
                windowsRun,
                windowsSkipped,
                generation);
    }

    // ---- which window, when -------------------------------------------------------------------

    /** Every window from the rules, moved, added and not cancelled, with start in (from, to]. */
    List<CalendarWindow> effective(Instant from, Instant to) {
        List<CalendarWindow> out = new ArrayList<>();
        for (CalendarWindow w : Slots.between(rules, from, to)) {
            if (!moved.containsKey(w.id()) && !cancelled.contains(w.id())) {
                out.add(w);
            }
        }
        moved.forEach((id, start) -> {
            if (!cancelled.contains(id) && start.isAfter(from) && !start.isAfter(to)) {
                WindowKind kind =
                        WindowKind.valueOf(id.substring(0, id.indexOf('@')).replace("ADDED-", ""));
                out.add(new CalendarWindow(
                        id, kind, start, backupFor(kind, start), WindowState.SCHEDULED, null, "moved"));
            }
        });
        for (CalendarWindow w : added) {
            if (!cancelled.contains(w.id())
                    && !moved.containsKey(w.id())
                    && w.start().isAfter(from)
                    && !w.start().isAfter(to)) {
                out.add(w);
            }
        }
        out.sort(Comparator.comparing(CalendarWindow::start));
        return out;
    }

    Instant backupFor(WindowKind kind, Instant start) {
        if (kind != WindowKind.MONTHLY) {
            return null;
        }
        Integer days = rules.monthly().isEmpty() ? null : rules.monthly().get(0).backupAfterDays();
        return start.plus(Duration.ofDays(days == null ? 2 : days));
    }

    private Duration lead(WindowKind kind) {
        return Durations.parse(kind == WindowKind.MONTHLY ? rules.monthlyLead() : rules.fastLead());
    }

    /** When a window's downtime workflow starts: its start less its kind's lead. */
    Instant fireAt(CalendarWindow w) {
        return w.start().minus(lead(w.kind()));
    }

    /** The next window to open, or null when there is none in sight. */
    CalendarWindow next() {
        Duration maxLead = lead(WindowKind.MONTHLY).compareTo(lead(WindowKind.FAST)) > 0
                ? lead(WindowKind.MONTHLY)
                : lead(WindowKind.FAST);
        Instant from = handledUntil.minus(Duration.ofDays(1));
        return effective(from, handledUntil.plus(maxLead).plus(Duration.ofDays(40))).stream()
                .filter(w -> !handled.contains(w.id()))
                .filter(w -> w.start().isAfter(handledUntil) || fireAt(w).isAfter(handledUntil))
                .min(Comparator.comparing(this::fireAt).thenComparing(CalendarWindow::id))
                .orElse(null);
    }

    /**
     * Why a window that came cannot open (missed, paused, blacked out), as the state it ends in; null
     * when it opens.
     */
    CalendarWindow refusal(CalendarWindow w, Instant now) {
        if (!w.start().isAfter(now)) {
            return w.with(WindowState.MISSED, null, "its time passed before it could be opened");
        }
        if (paused) {
            return w.with(WindowState.PAUSED, null, "the calendar is paused");
        }
        if (Slots.blackedOut(blackouts, w.start(), Slots.zoneOf(rules, w))) {
            return w.with(WindowState.BLACKED_OUT, null, "a blackout date");
        }
        return null;
    }

    // ---- what happened ------------------------------------------------------------------------

    /** A window was dealt with: recorded, counted, and the book moves past it. */
    void handled(CalendarWindow w, CalendarWindow result, Instant fireAt) {
        if (result.state() == WindowState.STARTED) {
            windowsRun++;
            started.put(w.id(), result.workflowId());
            inFlight.add(w.id());
        } else {
            windowsSkipped++;
        }
        record(result);
        handled.add(w.id());
        handledUntil = fireAt.isAfter(handledUntil) ? fireAt : handledUntil;
        prune();
    }

    /** A started window's downtime ended: its line in the history says how. */
    void ended(String windowId, WindowState state, String workflowId, String note) {
        inFlight.remove(windowId);
        replace(windowId, h -> h.with(state, workflowId, note));
    }

    /** Whether a window this run started is still running: its end is reported to this run only. */
    boolean anyInFlight() {
        return !inFlight.isEmpty();
    }

    private void record(CalendarWindow w) {
        history.add(w);
        if (history.size() > HISTORY) {
            history.remove(0);
        }
    }

    private void replace(String id, UnaryOperator<CalendarWindow> change) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).id().equals(id)) {
                history.set(i, change.apply(history.get(i)));
                return;
            }
        }
    }

    /** Forgets what can no longer come back: windows and decisions more than 60 days old. */
    private void prune() {
        Instant horizon = handledUntil.minus(Duration.ofDays(60));
        handled.removeIf(id -> startOf(id).isBefore(horizon));
        cancelled.removeIf(id -> startOf(id).isBefore(horizon));
        moved.entrySet().removeIf(e -> e.getValue().isBefore(horizon));
        started.keySet().removeIf(id -> startOf(id).isBefore(horizon) && !moved.containsKey(id));
        added.removeIf(w -> w.start().isBefore(horizon));
    }

    private static Instant startOf(String id) {
        return Instant.parse(id.substring(id.indexOf('@') + 1));
    }

    // ---- changes people make: checks (for validators) and the changes themselves --------------

    CalendarWindow find(Instant start) {
        return effective(start.minusSeconds(1), start).stream()
                .filter(w -> w.start().equals(start))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no window starts at " + start));
    }

    /** A window of {@code kind} at {@code start} would be in the future and overlap no other. */
    void requireFree(WindowKind kind, Instant start, String except, Instant now) {
        if (!start.isAfter(now)) {
            throw new IllegalArgumentException(start + " is in the past");
        }
        for (CalendarWindow w : effective(start.minus(Duration.ofDays(1)), start.plus(Duration.ofDays(1)))) {
            Duration gap = Duration.between(w.start(), start).abs();
            Duration needed = (w.start().isBefore(start) ? w.kind() : kind).length();
            if (!w.id().equals(except) && gap.compareTo(needed) < 0) {
                throw new IllegalArgumentException(kind + " window at " + start + " would overlap " + w.id());
            }
        }
    }

    /** A window whose downtime was started (and so announced) changes only with 24 h notice. */
    void requireNotice(CalendarWindow w, Instant now, Instant... times) {
        if (handled.contains(w.id()) && !started.containsKey(w.id())) {
            throw new IllegalArgumentException(w.id() + " was already handled (" + w.start() + ")");
        }
        if (started.containsKey(w.id())) {
            for (Instant t : times) {
                if (Duration.between(now, t).compareTo(NOTICE) < 0) {
                    throw new IllegalArgumentException(w.id()
                            + " is announced ("
                            + started.get(w.id())
                            + "): it cannot change with less than 24 h notice ("
                            + t
                            + ")");
                }
            }
        }
    }

    CalendarWindow add(WindowKind kind, Instant start, String by) {
        CalendarWindow w = new CalendarWindow(
                "ADDED-" + Slots.id(kind, start),
                kind,
                start,
                backupFor(kind, start),
                WindowState.SCHEDULED,
                null,
                "added by " + by);
        added.add(w);
        return w;
    }

    /**
     * Cancels {@code w}; the window returned names its downtime workflow if one was started (the
     * caller cancels it).
     */
    CalendarWindow cancel(CalendarWindow w, String by) {
        cancelled.add(w.id());
        CalendarWindow out = w.with(WindowState.CANCELLED, started.remove(w.id()), "cancelled by " + by);
        record(out);
        return out;
    }

    /** Moves {@code w} to {@code to}; returns the id of its started downtime (to cancel), or null. */
    String move(CalendarWindow w, Instant to) {
        String child = started.remove(w.id());
        if (child != null) {
            handled.remove(w.id()); // opened again at its new time
        }
        moved.put(w.id(), to);
        return child;
    }

    void addBlackout(String range) {
        blackouts.add(range);
    }

    boolean hasBlackout(String range) {
        return blackouts.contains(range);
    }

    void removeBlackout(String range) {
        blackouts.remove(range);
    }

    List<String> blackouts() {
        return List.copyOf(blackouts);
    }

    boolean paused() {
        return paused;
    }

    void paused(boolean p) {
        paused = p;
    }

    // ---- what the upcoming query shows --------------------------------------------------------

    /**
     * The next {@code n} windows from {@code now}, within the rules' horizon, each with its state.
     */
    List<CalendarWindow> upcoming(int n, Instant now) {
        List<CalendarWindow> out = new ArrayList<>();
        Instant from = now;
        Instant limit = now.plus(Duration.ofDays(rules.horizonDays()));
        while (out.size() < n && from.isBefore(limit)) {
            Instant to = from.plus(Duration.ofDays(31));
            for (CalendarWindow w : effective(from, to)) {
                if (out.size() >= n) {
                    break;
                }
                out.add(w.with(stateOf(w), started.get(w.id()), w.note()));
            }
            from = to;
        }
        return out;
    }

    private WindowState stateOf(CalendarWindow w) {
        if (started.containsKey(w.id())) {
            return WindowState.STARTED;
        }
        if (handled.contains(w.id())) {
            return WindowState.HANDLED;
        }
        if (paused) {
            return WindowState.PAUSED;
        }
        return Slots.blackedOut(blackouts, w.start(), Slots.zoneOf(rules, w))
                ? WindowState.BLACKED_OUT
                : WindowState.SCHEDULED;
    }

    List<CalendarWindow> recent(int n) {
        int k = Math.min(history.size(), n);
        return List.copyOf(history.subList(history.size() - k, history.size()));
    }

    int windowsRun() {
        return windowsRun;
    }

    int windowsSkipped() {
        return windowsSkipped;
    }

    int generation() {
        return generation;
    }
}
