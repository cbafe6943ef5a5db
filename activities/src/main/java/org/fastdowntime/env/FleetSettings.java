package org.fastdowntime.env;

import java.util.List;
import org.fastdowntime.model.FailurePolicy;
import org.fastdowntime.model.FleetMode;

/**
 * A fleet as configured: the environment whose settings every member shares (patch folder, staging, approvers and
 * ledger, budgets, hooks, announcements), its members — listed, from a template over a range, and/or from a catalog
 * query — and how its windows run.
 *
 * @param canary members that go first, each alone (waves mode)
 */
public record FleetSettings(
        String name,
        String environment,
        List<Member> members,
        Template template,
        Catalog catalog,
        List<String> canary,
        int parallelism,
        FailurePolicy failurePolicy,
        FleetMode mode) {
    public FleetSettings {
        members = members == null ? List.of() : List.copyOf(members);
        canary = canary == null ? List.of() : List.copyOf(canary);
    }

    /** A member: its name within the fleet and its database. */
    public record Member(String name, String jdbcUrl) {}

    /**
     * Members {@code from}..{@code to}: {@code {n}} in the URL and the name is the number, zero-padded to {@code
     * digits} (0 = no padding).
     */
    public record Template(String jdbcUrl, String name, int from, int to, int digits) {
        public List<Member> members() {
            List<Member> out = new java.util.ArrayList<>();
            for (int n = from; n <= to; n++) {
                String number = digits > 0 ? String.format("%0" + digits + "d", n) : Integer.toString(n);
                out.add(new Member(name.replace("{n}", number), jdbcUrl.replace("{n}", number)));
            }
            return out;
        }
    }

    /** Members read from a catalog database: {@code query} returns (name, jdbc URL) rows. */
    public record Catalog(String jdbcUrl, String query) {}
}
