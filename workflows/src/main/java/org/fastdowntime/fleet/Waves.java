package org.fastdowntime.fleet;

import java.util.ArrayList;
import java.util.List;
import org.fastdowntime.model.FleetPlan.Member;

/** The order members go in: each canary member alone first, then waves of at most {@code parallelism}. */
final class Waves {
    private Waves() {}

    static List<List<Member>> of(List<Member> members, int parallelism, boolean canaryAlone) {
        List<List<Member>> waves = new ArrayList<>();
        List<Member> rest = new ArrayList<>();
        for (Member m : members) {
            if (canaryAlone && m.canary()) {
                waves.add(List.of(m));
            } else {
                rest.add(m);
            }
        }
        int size = Math.max(1, parallelism);
        for (int i = 0; i < rest.size(); i += size) {
            waves.add(List.copyOf(rest.subList(i, Math.min(rest.size(), i + size))));
        }
        return waves;
    }
}
