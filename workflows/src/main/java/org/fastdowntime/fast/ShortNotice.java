package org.fastdowntime.fast;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fastdowntime.model.EnvironmentPolicy;
import org.fastdowntime.time.Durations;

/**
 * What a window started at short notice takes from its safety leads. Each step before the outage runs its lead
 * before the window, but never before the step ahead of it: QA closes at its deadline at the latest, background jobs
 * are quiesced then (or their lead before the window), the preflight after that, the outage arms last. A window
 * whose start leaves less than a lead says so, with the time each step gets at worst (QA using all of its time).
 * Plain logic.
 */
record ShortNotice(List<String> warnings) {
    ShortNotice {
        warnings = List.copyOf(warnings);
    }

    static final ShortNotice NONE = new ShortNotice(List.of());

    /**
     * The leads a window at {@code windowStart} gets when QA closes at {@code qaDeadline} at the latest, against what
     * the same window gets with enough notice (QA closing at its lead before the window): only what the start's
     * closeness takes is said, not what the configuration itself orders (a QA lead shorter than the quiesce lead).
     */
    static ShortNotice plan(Instant windowStart, Instant qaDeadline, EnvironmentPolicy p) {
        Steps planned = Steps.of(windowStart, qaDeadline, p);
        Steps nominal = Steps.of(windowStart, windowStart.minus(p.qaLead()), p);
        List<String> warnings = new ArrayList<>();
        shortened(
                warnings,
                "quiesce lead",
                "background jobs are quiesced",
                windowStart,
                planned.quiesce,
                nominal.quiesce);
        shortened(warnings, "preflight lead", "the preflight runs", windowStart, planned.preflight, nominal.preflight);
        shortened(warnings, "arm lead", "the outage arms", windowStart, planned.arm, nominal.arm);
        return new ShortNotice(warnings);
    }

    /** When each step before the outage runs at the latest: each its lead before the window, none before the last. */
    private record Steps(Instant quiesce, Instant preflight, Instant arm) {
        static Steps of(Instant windowStart, Instant qaCloses, EnvironmentPolicy p) {
            Instant quiesce = latest(qaCloses, windowStart.minus(p.quiesceLead()));
            Instant preflight =
                    p.preflightLead() == null ? quiesce : latest(quiesce, windowStart.minus(p.preflightLead()));
            Instant arm = p.armLead() == null ? preflight : latest(preflight, windowStart.minus(p.armLead()));
            return new Steps(quiesce, preflight, arm);
        }
    }

    /** The quiesce lead a window with enough notice gives: the QA lead when that is the shorter. */
    static Duration nominalQuiesce(EnvironmentPolicy p) {
        return p.qaLead().compareTo(p.quiesceLead()) < 0 ? p.qaLead() : p.quiesceLead();
    }

    /** What a step that ran at {@code at} got of its lead, when that is less than configured; else null. */
    static String took(String what, Instant windowStart, Instant at, Duration lead) {
        Duration got = Duration.between(at, windowStart);
        if (!got.minus(lead).isNegative()) {
            return null;
        }
        return String.format(
                "Short notice: %s %s before the window, not the configured %s.",
                what, human(got), Durations.format(lead));
    }

    /** One sentence for the announcement and the start, or "" when every lead is kept. */
    String said() {
        return warnings.isEmpty() ? "" : " Short notice: " + String.join("; ", warnings) + ".";
    }

    private static void shortened(
            List<String> warnings, String name, String what, Instant windowStart, Instant at, Instant nominal) {
        if (at.isAfter(nominal)) {
            warnings.add(String.format(
                    "%s shortened: %s %s before the window at worst, not %s",
                    name,
                    what,
                    human(Duration.between(at, windowStart)),
                    human(Duration.between(nominal, windowStart))));
        }
    }

    /** A time a step got, to the second: 0s, 45s, 1m 57s, 1h 2m. */
    static String human(Duration d) {
        long s = d.isNegative() ? 0 : Math.round(d.toMillis() / 1000.0);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + (s % 60 == 0 ? "" : " " + s % 60 + "s");
        }
        return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + "m");
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
