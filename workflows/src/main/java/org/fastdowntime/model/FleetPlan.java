package org.fastdowntime.model;

import java.util.List;

/**
 * A fleet as its window sees it when it starts: the environment whose settings, ledger and staging the members
 * share, how the window runs, and every member (the canary ones first) with the patches pending there. No
 * connection details: a member is reached through its environment name ({@code fleet/member}) by the worker.
 *
 * @param candidates the cold patches pending on at least one member, each pinned by its checksum, in order
 */
public record FleetPlan(
        String fleet,
        String environment,
        FleetMode mode,
        int parallelism,
        FailurePolicy failurePolicy,
        List<Member> members,
        List<PatchCandidate> candidates) {
    public FleetPlan {
        members = members == null ? List.of() : List.copyOf(members);
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
    }

    /**
     * One member database.
     *
     * @param environment the name activities know it by: {@code fleet/name}
     * @param pending its pending cold patches (members may be at different revisions)
     */
    public record Member(String name, String environment, boolean canary, List<PatchId> pending) {
        public Member {
            pending = pending == null ? List.of() : List.copyOf(pending);
        }
    }

    /** The same plan, run in {@code mode} with {@code parallelism} (a request's overrides). */
    public FleetPlan runAs(FleetMode mode, int parallelism) {
        return new FleetPlan(fleet, environment, mode, parallelism, failurePolicy, members, candidates);
    }
}
