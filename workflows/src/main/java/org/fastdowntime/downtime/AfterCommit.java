package org.fastdowntime.downtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fastdowntime.model.OutageReport;
import org.fastdowntime.model.StandbyCatchUp;
import org.fastdowntime.ports.DatabaseActivities;

/**
 * What follows a committed window once its gate is open, as Launchpad's full-update.py did it: every
 * standby replays the commit (polled every 0.2 s up to the catch-up wait; one that does not leaves the
 * window running primary-only, said and announced, never a closed gate), then the preflight runs again.
 * Workflow code, shared by the fast and the monthly window.
 *
 * @param outage the outage report with each standby's catch-up
 * @param warnings what people must know (a standby left behind)
 * @param preflight the preflight run again: what passed, or why it failed
 */
public record AfterCommit(OutageReport outage, List<String> warnings, String preflight) {

    /**
     * Version 1 ("standby-catch-up"); windows that committed before it, or committed nothing, skip
     * it (null).
     */
    public static AfterCommit check(
            DatabaseActivities longDb,
            DatabaseActivities db,
            String environment,
            OutageReport outage,
            Journal<?> journal) {
        if (outage == null || outage.commitLsn() == null || !Change.STANDBY_CATCH_UP.isOn()) {
            return null;
        }
        // A standby whose replay the outage held has its catch-up timed there (resumed one at a time): kept.
        List<StandbyCatchUp> held = outage.standbys() == null ? List.of() : outage.standbys();
        List<StandbyCatchUp> standbys = longDb.awaitStandbys(environment, outage.commitLsn()).stream()
                .map(s -> held.stream()
                        .filter(h -> h.name().equals(s.name()) && h.caughtUp())
                        .findFirst()
                        .orElse(s))
                .toList();
        List<String> behind = new ArrayList<>();
        for (StandbyCatchUp s : standbys) {
            if (s.caughtUp()) {
                journal.note(String.format(
                        Locale.ROOT,
                        "Standby %s replayed the window's commit %.2f s after the gate opened.",
                        s.name(),
                        s.seconds()));
            } else {
                behind.add(s.name() + " not caught up (" + s.state() + ")");
            }
        }
        List<String> warnings = new ArrayList<>();
        if (!behind.isEmpty()) {
            String warning = "running primary-only: " + String.join(", ", behind);
            warnings.add(warning);
            journal.note("Warning: " + warning + ".");
        }
        String preflight;
        try {
            preflight = "passed: " + String.join("; ", db.preflight(environment).passed());
        } catch (RuntimeException e) {
            preflight = "failed: " + WindowFailures.of(e).message();
        }
        journal.note("Preflight after the window " + preflight + ".");
        return new AfterCommit(outage.withStandbys(standbys), List.copyOf(warnings), preflight);
    }

    /** The warnings, as a sentence to end a window's message with ("" when none). */
    public String said() {
        return warnings.isEmpty() ? "" : " Warning: " + String.join("; ", warnings) + ".";
    }
}
