package org.fastdowntime.ports;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import org.fastdowntime.model.FleetPlan;
import org.fastdowntime.model.PreflightReport;

/** A fleet's dealings with the worker's config and its member databases. */
@ActivityInterface
public interface FleetActivities {
    /**
     * The fleet's members (listed, from a template, or from a catalog query), the canary ones first, each with its
     * pending cold patches, and the union of those as the window's candidates. Fails UNKNOWN_ENVIRONMENT for a fleet
     * not configured, PLAN_INVALID when a member cannot be read or its patches are unsafe (naming the member).
     */
    @ActivityMethod(name = "SurveyFleet")
    FleetPlan survey(String fleet);

    /**
     * One member's preflight (Launchpad's checks); {@code atomic} adds that the server allows prepared transactions
     * ({@code max_prepared_transactions} above 0) and that none of this member is left from an earlier window.
     * Fails PREFLIGHT_FAILED naming the member.
     */
    @ActivityMethod(name = "PreflightMember")
    PreflightReport preflightMember(String environment, boolean atomic);
}
