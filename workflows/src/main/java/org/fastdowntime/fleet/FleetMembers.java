package org.fastdowntime.fleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fastdowntime.model.FleetPlan.Member;
import org.fastdowntime.model.MemberOutcome;
import org.fastdowntime.model.MemberOutcome.MemberState;

/** The fleet window's table: each member's latest outcome, in the plan's order. Workflow code. */
final class FleetMembers {
    private final Map<String, MemberOutcome> byName = new LinkedHashMap<>();

    void init(List<Member> members) {
        members.forEach(m -> byName.put(m.name(), MemberOutcome.of(m.name(), MemberState.WAITING)));
    }

    void set(MemberOutcome o) {
        byName.put(o.member(), o);
    }

    void set(String member, MemberState s) {
        byName.put(member, byName.get(member).as(s));
    }

    MemberOutcome get(String member) {
        return byName.get(member);
    }

    List<MemberOutcome> all() {
        return List.copyOf(byName.values());
    }

    /** The members now in one of {@code states}. */
    List<MemberOutcome> in(MemberState... states) {
        Set<MemberState> wanted = Set.of(states);
        return byName.values().stream().filter(o -> wanted.contains(o.state())).toList();
    }

    /** The longest gate-closed time of any member: the fleet's outage. */
    long longestOutage() {
        return byName.values().stream()
                .mapToLong(MemberOutcome::outageMillis)
                .max()
                .orElse(0);
    }

    /** {@code a (TYPE: why); b (…)}: the failed members as a person reads them, at most {@code limit} named. */
    String failures(int limit) {
        List<String> out = new ArrayList<>();
        List<MemberOutcome> failed = in(MemberState.FAILED);
        failed.stream()
                .limit(limit)
                .forEach(o -> out.add(o.member() + " (" + o.failureType() + ": " + o.message() + ")"));
        if (failed.size() > limit) {
            out.add("and " + (failed.size() - limit) + " more");
        }
        return String.join("; ", out);
    }

    /** The first failure's type, for the fleet's own failure. */
    String firstFailureType() {
        return in(MemberState.FAILED).stream()
                .map(MemberOutcome::failureType)
                .findFirst()
                .orElse(null);
    }

    static List<String> names(List<MemberOutcome> outcomes) {
        return outcomes.stream().map(MemberOutcome::member).toList();
    }
}
