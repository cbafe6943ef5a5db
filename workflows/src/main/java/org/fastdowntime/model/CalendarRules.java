package org.fastdowntime.model;

import java.util.List;

/**
 * When an environment's windows open by themselves: {@code
 * {"fastSlots":[{"days":"Mon-Fri","time":"08:30","zone":"UTC"}],
 * "monthly":[{"week":"second","day":"Tue","time":"22:00","zone":"Europe/London","backupAfterDays":2}],
 * "blackouts":["2026-12-24..2027-01-02"],"fastLead":"4h","monthlyLead":"8d","horizonDays":365}}.
 *
 * @param fastLead a fast window's FastDowntime starts this long before it, so QA can approve before
 *     T − 1 h
 * @param monthlyLead a monthly window's MonthlyDowntime starts this long before it (its notice)
 * @param fleet when set, the fast slots open fleet windows ({@code FleetDowntime}) of this fleet instead of fast
 *     windows of the calendar's environment (then the fleet's environment): {@code "fleet":"shards"}
 */
public record CalendarRules(
        List<FastSlot> fastSlots,
        List<MonthlyRule> monthly,
        List<String> blackouts,
        String fastLead,
        String monthlyLead,
        Integer horizonDays,
        String fleet) {

    public CalendarRules(
            List<FastSlot> fastSlots,
            List<MonthlyRule> monthly,
            List<String> blackouts,
            String fastLead,
            String monthlyLead,
            Integer horizonDays) {
        this(fastSlots, monthly, blackouts, fastLead, monthlyLead, horizonDays, null);
    }

    public CalendarRules {
        fastSlots = fastSlots == null ? List.of() : List.copyOf(fastSlots);
        monthly = monthly == null ? List.of() : List.copyOf(monthly);
        blackouts = blackouts == null ? List.of() : List.copyOf(blackouts);
        fastLead = fastLead == null ? "4h" : fastLead;
        monthlyLead = monthlyLead == null ? "8d" : monthlyLead;
        horizonDays = horizonDays == null ? 365 : horizonDays;
    }

    /** The same rules, their fast slots opening windows of {@code fleetName} (null: of the environment). */
    public CalendarRules forFleet(String fleetName) {
        return new CalendarRules(fastSlots, monthly, blackouts, fastLead, monthlyLead, horizonDays, fleetName);
    }

    /** Launchpad's: weekdays at 08:30 UTC. */
    public static CalendarRules launchpad() {
        return new CalendarRules(
                List.of(new FastSlot("Mon-Fri", "08:30", "UTC")), List.of(), List.of(), null, null, null);
    }

    /** Fast slots: days ("Mon-Fri", "Mon,Wed,Fri"), local time ("08:30") and IANA zone. */
    public record FastSlot(String days, String time, String zone) {}

    /**
     * Monthly windows: week ("first".."fourth", "last") and day of the month, local time, zone,
     * backup days later.
     */
    public record MonthlyRule(String week, String day, String time, String zone, Integer backupAfterDays) {}
}
