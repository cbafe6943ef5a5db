package org.fastdowntime.sandbox;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.fastdowntime.calendar.Slots;

/** Working days in the slots' time zone: weekdays that are not blacked out, and the hours that fall on them. */
final class WorkingTime {
    private final ZoneId zone;
    private final List<String> blackouts;

    WorkingTime(ZoneId zone, List<String> blackouts) {
        this.zone = zone;
        this.blackouts = blackouts;
    }

    boolean working(LocalDate d) {
        return d.getDayOfWeek() != DayOfWeek.SATURDAY
                && d.getDayOfWeek() != DayOfWeek.SUNDAY
                && !Slots.blackedOut(blackouts, d.atTime(12, 0).atZone(zone).toInstant(), zone.getId());
    }

    /** Hours between two instants that fall on working days (weekends and blackouts not counted). */
    double hours(Instant a, Instant b) {
        long millis = 0;
        ZonedDateTime t = a.atZone(zone);
        ZonedDateTime end = b.atZone(zone);
        while (t.isBefore(end)) {
            ZonedDateTime nextDay = t.toLocalDate().plusDays(1).atStartOfDay(zone);
            ZonedDateTime stop = nextDay.isBefore(end) ? nextDay : end;
            if (working(t.toLocalDate())) {
                millis += Duration.between(t, stop).toMillis();
            }
            t = stop;
        }
        return millis / 3_600_000.0;
    }
}
