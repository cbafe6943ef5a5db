package org.fastdowntime.cli;

import java.util.Locale;
import org.fastdowntime.model.FleetStatus;
import org.fastdowntime.model.MemberOutcome;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.TimelineEvent;

/** A fleet window's status as {@code status} prints it: the window, its QA and decision, a row per member. */
final class FleetStatusView {
    private FleetStatusView() {}

    static String render(String id, FleetStatus s) {
        StringBuilder b = new StringBuilder();
        b.append(id + ": " + s.stage() + " (fleet " + s.fleet() + ", "
                + (s.mode() == null ? "" : s.mode().name().toLowerCase(Locale.ROOT) + ", ")
                + (s.environment() == null ? "not surveyed" : "settings of " + s.environment()) + ")\n");
        if (s.windowStart() != null) {
            b.append("  window " + s.windowStart() + (s.qaDeadline() == null ? "" : ", QA deadline " + s.qaDeadline())
                    + "\n");
        }
        if (!s.approved().isEmpty() || !s.waiting().isEmpty()) {
            b.append("  approved " + PatchId.join(s.approved())
                    + (s.waiting().isEmpty() ? "" : "; waiting " + PatchId.join(s.waiting())) + "\n");
        }
        if (s.decision() != null) {
            b.append("  decision " + s.decision() + "\n");
        }
        if (s.failureType() != null) {
            b.append("  failure " + s.failureType() + ": " + s.message() + "\n");
        }
        b.append(String.format(Locale.ROOT, "  longest outage %d ms%n", s.longestOutageMillis()));
        b.append(String.format(Locale.ROOT, "Members:%n  %-20s %-16s %10s  %s%n", "MEMBER", "STATE", "OUTAGE", ""));
        for (MemberOutcome m : s.members()) {
            b.append(String.format(
                    Locale.ROOT,
                    "  %-20s %-16s %10s  %s%n",
                    m.member(),
                    m.state(),
                    m.outageMillis() == 0 ? "" : m.outageMillis() + " ms",
                    m.failureType() != null
                            ? m.failureType() + ": " + m.message()
                            : m.applied().isEmpty() ? "" : "applied " + PatchId.join(m.applied())));
        }
        b.append("Timeline:\n");
        for (TimelineEvent e : s.timeline()) {
            b.append("  ").append(e.at()).append(' ').append(e.shown()).append('\n');
        }
        return b.toString();
    }
}
