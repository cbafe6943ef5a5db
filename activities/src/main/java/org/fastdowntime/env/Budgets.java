package org.fastdowntime.env;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An environment's time limits, with Launchpad's numbers as defaults, grouped by what they govern: the leads
 * before a window, the outage's limits, staging's limits and the standbys'. Each is named as the worker's YAML
 * names it ({@code budgets: {qaLead: 30m}}); a copy with some changed is made by name ({@link #with(Map)}), so a
 * new budget is one component here and its default in {@link #defaults()}.
 *
 * @param qaLead leads: QA closes this long before the window
 * @param quiesceLead leads: background jobs are quiesced this long before it
 * @param preflightLead leads: the preflight runs this long before it
 * @param armLead leads: the outage activity is armed this long before it
 * @param outage outage: the whole outage's budget
 * @param heartbeatTimeout outage: a worker silent this long is lost, and the gate reopened by compensation
 * @param lockTimeout outage: each statement's lock_timeout
 * @param statementTimeout outage: each statement's statement_timeout
 * @param maxTransactionAge outage: the preflight refuses a transaction older than this
 * @param kickTries outage: rounds of pg_terminate_backend after a lock timeout
 * @param kickInterval outage: between those rounds
 * @param perPatch staging: a patch slower than this on staging needs a sign-off
 * @param stagingTotal staging: the candidates' total beyond which they need a sign-off
 * @param maxStandbyLag standbys: the lag the preflight allows
 * @param standbyWait standbys: how long the preflight waits for a lagging one
 * @param standbyCatchUp standbys: how long a window waits for each to replay its commit
 */
public record Budgets(
        Duration qaLead,
        Duration quiesceLead,
        Duration preflightLead,
        Duration armLead,
        Duration outage,
        Duration heartbeatTimeout,
        Duration lockTimeout,
        Duration statementTimeout,
        Duration maxTransactionAge,
        int kickTries,
        Duration kickInterval,
        Duration perPatch,
        Duration stagingTotal,
        Duration maxStandbyLag,
        Duration standbyWait,
        Duration standbyCatchUp) {

    public static Budgets defaults() {
        return new Budgets(
                Duration.ofHours(1),
                Duration.ofHours(1),
                Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                Duration.ofMinutes(5),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                Duration.ofMinutes(5),
                Duration.ofSeconds(60),
                100,
                Duration.ofMillis(100),
                Duration.ofSeconds(15),
                Duration.ofSeconds(15),
                Duration.ofSeconds(60),
                Duration.ofSeconds(30),
                Duration.ofSeconds(60));
    }

    /** Every budget's name, in order (the YAML's keys). */
    public static List<String> names() {
        return Records.names(Budgets.class);
    }

    /** The type of the budget {@code name} ({@code Duration} or {@code int}), or null for no such budget. */
    public static Class<?> typeOf(String name) {
        return Records.typeOf(Budgets.class, name);
    }

    /**
     * A copy with the budgets {@code changes} names set to its values (a {@code Duration}, or an {@code Integer}
     * for {@code kickTries}); the others as they are here.
     *
     * @throws IllegalArgumentException for a name that is no budget, or a value of the wrong type
     */
    public Budgets with(Map<String, ?> changes) {
        for (String name : changes.keySet()) {
            if (typeOf(name) == null) {
                throw new IllegalArgumentException("no budget named '" + name + "'");
            }
        }
        return Records.with(this, changes);
    }

    /** The same budgets with other QA, quiesce, preflight and arm leads (the demo and benchmark compress them). */
    public Budgets withLeads(Duration qa, Duration quiesce, Duration preflight, Duration arm) {
        Map<String, Object> leads = new LinkedHashMap<>();
        leads.put("qaLead", qa);
        leads.put("quiesceLead", quiesce);
        leads.put("preflightLead", preflight);
        leads.put("armLead", arm);
        return with(leads);
    }

    public Budgets withPerPatch(Duration v) {
        return with(Map.of("perPatch", v));
    }

    public Budgets withLockTimeout(Duration v) {
        return with(Map.of("lockTimeout", v));
    }

    public Budgets withStatementTimeout(Duration v) {
        return with(Map.of("statementTimeout", v));
    }

    /** The same budgets with another total of the candidates' staging times (a sign-off beyond it). */
    public Budgets withStagingTotal(Duration v) {
        return with(Map.of("stagingTotal", v));
    }

    /**
     * The same budgets with other standby limits: the lag the preflight allows, how long it waits for a lagging
     * one, and how long a window waits for each to replay its commit.
     */
    public Budgets withStandbys(Duration maxLag, Duration wait, Duration catchUp) {
        return with(Map.of("maxStandbyLag", maxLag, "standbyWait", wait, "standbyCatchUp", catchUp));
    }

    public Budgets withHeartbeatTimeout(Duration v) {
        return with(Map.of("heartbeatTimeout", v));
    }
}
