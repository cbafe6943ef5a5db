package org.fastdowntime.model;

import java.time.Duration;
import java.util.List;

/** The policy the state classes' tests share: Launchpad's budgets, approvers alice and bob, sign-off francis. */
public final class TestPolicies {
    private TestPolicies() {}

    public static EnvironmentPolicy production() {
        return new EnvironmentPolicy(
                "production",
                List.of("alice", "bob"),
                List.of("francis"),
                true,
                Duration.ofSeconds(15),
                Duration.ofMinutes(5),
                Duration.ofHours(1),
                Duration.ofHours(1),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                Duration.ofSeconds(15),
                false);
    }
}
