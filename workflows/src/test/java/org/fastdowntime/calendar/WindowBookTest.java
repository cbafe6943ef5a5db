package org.fastdowntime.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.fastdowntime.model.CalendarRules;
import org.fastdowntime.model.CalendarWindow;
import org.fastdowntime.model.WindowKind;
import org.fastdowntime.model.WindowState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A calendar's book of windows alone: which window is next, why one cannot open, people's changes. */
@Tag("unit")
class WindowBookTest {
    // Tuesday 1 December 2026, 07:00 UTC: the next Launchpad slot is 08:30 the same day.
    static final Instant NOW = Instant.parse("2026-12-01T07:00:00Z");

    final WindowBook book = new WindowBook(CalendarRules.launchpad(), null, NOW);

    @Test
    void theNextWindowIsTheRulesNextSlotAndFiresItsLeadAhead() {
        CalendarWindow next = book.next();
        assertEquals(Instant.parse("2026-12-01T08:30:00Z"), next.start());
        assertEquals(WindowKind.FAST, next.kind());
        assertEquals(next.start().minus(java.time.Duration.ofHours(4)), book.fireAt(next));
        assertNull(book.refusal(next, NOW), "it opens");
    }

    @Test
    void aHandledWindowIsCountedAndTheBookMovesPastIt() {
        CalendarWindow next = book.next();
        book.handled(next, next.with(WindowState.NOTHING_TO_DEPLOY, null, "no pending cold patch"), book.fireAt(next));
        assertEquals(1, book.windowsSkipped());
        assertEquals(Instant.parse("2026-12-02T08:30:00Z"), book.next().start());
        assertEquals(WindowState.NOTHING_TO_DEPLOY, book.recent(1).get(0).state());
    }

    @Test
    void blackoutsAndPauseKeepAWindowShutAndSaySo() {
        CalendarWindow next = book.next();
        book.addBlackout("2026-12-01");
        assertEquals(WindowState.BLACKED_OUT, book.refusal(next, NOW).state());
        book.removeBlackout("2026-12-01");
        book.paused(true);
        assertEquals(WindowState.PAUSED, book.refusal(next, NOW).state());
        assertEquals(
                WindowState.MISSED,
                book.refusal(next, next.start().plusSeconds(1)).state());
    }

    @Test
    void changesAreCheckedThenMadeAndCrossContinueAsNew() {
        Instant slot = Instant.parse("2026-12-02T08:30:00Z");
        var overlap = assertThrows(
                IllegalArgumentException.class,
                () -> book.requireFree(WindowKind.FAST, slot.plusSeconds(60), null, NOW));
        assertTrue(overlap.getMessage().contains("would overlap FAST@" + slot), overlap.getMessage());
        CalendarWindow added = book.add(WindowKind.FAST, Instant.parse("2026-12-02T14:00:00Z"), "alice");
        assertEquals("added by alice", added.note());
        book.move(book.find(slot), Instant.parse("2026-12-02T12:00:00Z"));
        CalendarWindow cancelled = book.cancel(book.find(Instant.parse("2026-12-03T08:30:00Z")), "bob");
        assertEquals(WindowState.CANCELLED, cancelled.state());

        WindowBook next = new WindowBook(CalendarRules.launchpad(), book.snapshot(), NOW);
        assertEquals(1, next.generation());
        var upcoming = next.upcoming(5, NOW).stream().map(CalendarWindow::start).toList();
        assertTrue(upcoming.contains(Instant.parse("2026-12-02T12:00:00Z")), upcoming.toString());
        assertTrue(upcoming.contains(Instant.parse("2026-12-02T14:00:00Z")), upcoming.toString());
        assertTrue(!upcoming.contains(Instant.parse("2026-12-03T08:30:00Z")), "cancelled: " + upcoming);
    }
}
