package org.fastdowntime.calendar;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.fastdowntime.model.CalendarRules;
import org.fastdowntime.model.CalendarWindow;
import org.fastdowntime.model.WindowKind;
import org.fastdowntime.model.WindowState;

/**
 * The windows a calendar's rules produce, computed from the rules alone (pure java.time, so
 * workflow code can replay it). Local times are kept across daylight-saving changes: a slot at
 * 08:30 Europe/London is 08:30 UTC in winter and 07:30 UTC in summer.
 */
public final class Slots {
    public static final WindowKind FAST = WindowKind.FAST;
    public static final WindowKind MONTHLY = WindowKind.MONTHLY;

    private Slots() {}

    /** A slot's time, {@code HH:MM} on a 24-hour clock; anything else is refused with an example. */
    static LocalTime time(String text) {
        try {
            return LocalTime.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("time '" + text + "' must be HH:MM on a 24-hour clock, e.g. 08:30");
        }
    }

    /** Checks the rules, with a message that names the bad one. */
    public static void validate(CalendarRules rules) {
        for (CalendarRules.FastSlot s : rules.fastSlots()) {
            days(s.days());
            time(s.time());
            ZoneId.of(s.zone());
        }
        for (CalendarRules.MonthlyRule m : rules.monthly()) {
            ordinal(m.week());
            day(m.day());
            time(m.time());
            ZoneId.of(m.zone());
        }
        rules.blackouts().forEach(Slots::range);
        org.fastdowntime.time.Durations.parse(rules.fastLead());
        org.fastdowntime.time.Durations.parse(rules.monthlyLead());
    }

    /**
     * Fast slots written as on the command line: {@code "Mon-Fri 08:30 UTC"}, several separated by
     * {@code ;} ({@code "Mon,Wed 08:30 Europe/London; Fri 14:00 UTC"}).
     */
    public static List<CalendarRules.FastSlot> parseFastSlots(String text) {
        List<CalendarRules.FastSlot> out = new ArrayList<>();
        for (String one : text.split(";")) {
            String[] f = one.trim().split("\\s+");
            if (f.length != 3) {
                throw new IllegalArgumentException(
                        "slot '" + one.trim() + "': write DAYS HH:MM ZONE, e.g. 'Mon-Fri 08:30 UTC'");
            }
            CalendarRules.FastSlot slot = new CalendarRules.FastSlot(f[0], f[1], f[2]);
            try {
                days(slot.days());
                time(slot.time());
                ZoneId.of(slot.zone());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("slot '" + one.trim() + "': " + e.getMessage());
            }
            out.add(slot);
        }
        return out;
    }

    /** Every window the rules put in (from, to], in start order. */
    public static List<CalendarWindow> between(CalendarRules rules, Instant from, Instant to) {
        List<CalendarWindow> out = new ArrayList<>();
        for (CalendarRules.FastSlot s : rules.fastSlots()) {
            ZoneId zone = ZoneId.of(s.zone());
            Set<DayOfWeek> days = days(s.days());
            LocalTime time = time(s.time());
            for (LocalDate d = from.atZone(zone).toLocalDate();
                    !d.isAfter(to.atZone(zone).toLocalDate());
                    d = d.plusDays(1)) {
                if (days.contains(d.getDayOfWeek())) {
                    add(out, FAST, ZonedDateTime.of(d, time, zone).toInstant(), null, from, to);
                }
            }
        }
        for (CalendarRules.MonthlyRule m : rules.monthly()) {
            ZoneId zone = ZoneId.of(m.zone());
            LocalTime time = time(m.time());
            int backupDays = m.backupAfterDays() == null ? 2 : m.backupAfterDays();
            LocalDate month = from.atZone(zone).toLocalDate().withDayOfMonth(1);
            for (; !month.isAfter(to.atZone(zone).toLocalDate()); month = month.plusMonths(1)) {
                LocalDate d = month.with(
                        ordinal(m.week()) < 0
                                ? TemporalAdjusters.lastInMonth(day(m.day()))
                                : TemporalAdjusters.dayOfWeekInMonth(ordinal(m.week()), day(m.day())));
                ZonedDateTime main = ZonedDateTime.of(d, time, zone);
                add(out, MONTHLY, main.toInstant(), main.plusDays(backupDays).toInstant(), from, to);
            }
        }
        out.sort(java.util.Comparator.comparing(CalendarWindow::start));
        return out;
    }

    private static void add(
            List<CalendarWindow> out, WindowKind kind, Instant start, Instant backup, Instant from, Instant to) {
        if (start.isAfter(from) && !start.isAfter(to)) {
            out.add(new CalendarWindow(id(kind, start), kind, start, backup, WindowState.SCHEDULED, null, null));
        }
    }

    public static String id(WindowKind kind, Instant start) {
        return kind + "@" + start;
    }

    /** How long a window occupies the database, for the no-overlap rule. */
    public static Duration length(WindowKind kind) {
        return kind.length();
    }

    /** Whether the window's local date (in UTC, for manual windows) falls in one of the blackouts. */
    public static boolean blackedOut(List<String> blackouts, Instant start, String zone) {
        LocalDate d = start.atZone(ZoneId.of(zone)).toLocalDate();
        for (String b : blackouts) {
            LocalDate[] r = range(b);
            if (!d.isBefore(r[0]) && !d.isAfter(r[1])) {
                return true;
            }
        }
        return false;
    }

    /** {@code 2026-12-25} or {@code 2026-12-24..2027-01-02}, inclusive. */
    public static LocalDate[] range(String text) {
        try {
            String[] parts = text.split("\\.\\.");
            LocalDate a = LocalDate.parse(parts[0].trim());
            LocalDate b = parts.length > 1 ? LocalDate.parse(parts[1].trim()) : a;
            if (b.isBefore(a) || parts.length > 2) {
                throw new IllegalArgumentException();
            }
            return new LocalDate[] {a, b};
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "blackout '" + text + "': write a date (2026-12-25) or a range" + " (2026-12-24..2027-01-02)");
        }
    }

    /** The zone a window's dates are judged in: its rule's, or UTC. */
    public static String zoneOf(CalendarRules rules, CalendarWindow w) {
        if (w.kind() == WindowKind.MONTHLY && !rules.monthly().isEmpty()) {
            return rules.monthly().get(0).zone();
        }
        return rules.fastSlots().isEmpty() ? "UTC" : rules.fastSlots().get(0).zone();
    }

    static Set<DayOfWeek> days(String text) {
        Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
        for (String part : text.split(",")) {
            String[] range = part.trim().split("-");
            DayOfWeek a = day(range[0]);
            DayOfWeek b = range.length > 1 ? day(range[1]) : a;
            for (DayOfWeek d = a; ; d = d.plus(1)) {
                out.add(d);
                if (d == b) {
                    break;
                }
            }
        }
        return out;
    }

    static DayOfWeek day(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            String full = d.getDisplayName(TextStyle.FULL, Locale.ENGLISH).toLowerCase(Locale.ROOT);
            if (t.length() >= 3 && full.startsWith(t)) {
                return d;
            }
        }
        throw new IllegalArgumentException("not a day of the week: '" + text + "' (Mon, Tuesday, …)");
    }

    /** first=1 … fourth=4, last=-1. */
    static int ordinal(String week) {
        return switch (week.trim().toLowerCase(Locale.ROOT)) {
            case "first", "1" -> 1;
            case "second", "2" -> 2;
            case "third", "3" -> 3;
            case "fourth", "4" -> 4;
            case "last" -> -1;
            default ->
                throw new IllegalArgumentException(
                        "week must be first, second, third, fourth or last, not '" + week + "'");
        };
    }
}
