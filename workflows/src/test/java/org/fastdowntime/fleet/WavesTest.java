package org.fastdowntime.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.fastdowntime.model.FleetPlan.Member;
import org.junit.jupiter.api.Test;

class WavesTest {
    private static Member m(String name, boolean canary) {
        return new Member(name, "shards/" + name, canary, List.of());
    }

    private static List<List<String>> names(List<List<Member>> waves) {
        return waves.stream().map(w -> w.stream().map(Member::name).toList()).toList();
    }

    @Test
    void eachCanaryGoesAloneThenWavesOfParallelism() {
        List<Member> members = List.of(m("a", true), m("b", true), m("c", false), m("d", false), m("e", false));
        assertEquals(
                List.of(List.of("a"), List.of("b"), List.of("c", "d"), List.of("e")),
                names(Waves.of(members, 2, true)),
                "canaries a and b alone, then c and d, then e");
    }

    @Test
    void atomicPreparesInWavesWithoutCanaries() {
        List<Member> members = List.of(m("a", true), m("b", false), m("c", false));
        assertEquals(List.of(List.of("a", "b", "c")), names(Waves.of(members, 10, false)));
    }

    @Test
    void aParallelismBelowOneStillMovesOneAtATime() {
        assertEquals(
                List.of(List.of("a"), List.of("b")), names(Waves.of(List.of(m("a", false), m("b", false)), 0, true)));
    }
}
