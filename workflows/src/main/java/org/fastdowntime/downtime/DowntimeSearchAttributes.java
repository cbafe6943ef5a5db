package org.fastdowntime.downtime;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.common.SearchAttributeKey;
import io.temporal.workflow.Workflow;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fastdowntime.model.Outcome;

/**
 * Typed search attributes every downtime workflow upserts, so windows can be found by stage, time, environment and
 * how they ended, in the Web UI's list and with {@code temporal workflow list --query}.
 */
public final class DowntimeSearchAttributes {
    public static final SearchAttributeKey<String> STAGE = SearchAttributeKey.forKeyword("DowntimeStage");
    public static final SearchAttributeKey<OffsetDateTime> WINDOW =
            SearchAttributeKey.forOffsetDateTime("DowntimeWindow");
    /** The environment the window was asked for (as given, so a misspelt one is found too). */
    public static final SearchAttributeKey<String> ENVIRONMENT = SearchAttributeKey.forKeyword("DowntimeEnvironment");
    /**
     * How it ended: {@value #DONE}, {@value #NOTHING_APPLIED}, {@value #SKIPPED}, {@value #CANCELLED}, or the
     * failure's type ({@code ABORTED}, {@code PATCH_FAILED}, {@code UNKNOWN_ENVIRONMENT}…). Unset while it runs.
     */
    public static final SearchAttributeKey<String> OUTCOME = SearchAttributeKey.forKeyword("DowntimeOutcome");

    /** Patches were applied (cold ones in an outage, or live ones without one). */
    public static final String DONE = "DONE";
    /** The window ended with nothing to apply: nothing was pending, or everything already was applied. */
    public static final String NOTHING_APPLIED = "NOTHING_APPLIED";
    /** Patches were waiting, but none was approved in time: they wait for the next window. */
    public static final String SKIPPED = "SKIPPED";
    /** The workflow was cancelled. */
    public static final String CANCELLED = "CANCELLED";

    /** Every attribute, in the order an operator registers them. */
    public static final List<SearchAttributeKey<?>> ALL = List.of(STAGE, WINDOW, ENVIRONMENT, OUTCOME);

    private DowntimeSearchAttributes() {}

    /** Each attribute's name and indexed type, as the operator service and the test services register them. */
    public static Map<String, IndexedValueType> types() {
        Map<String, IndexedValueType> types = new LinkedHashMap<>();
        for (SearchAttributeKey<?> key : ALL) {
            types.put(key.getName(), key.getValueType());
        }
        return types;
    }

    /** The outcome a downtime that did not fail ended with. */
    public static String outcome(Outcome outcome, int applied, int waiting) {
        if (outcome == Outcome.COMPLETED || applied > 0) {
            return DONE;
        }
        return waiting > 0 ? SKIPPED : NOTHING_APPLIED;
    }

    /** Records the environment; workflow code, once its change is on. */
    public static void environment(String environment) {
        if (environment != null && !environment.isBlank()) {
            Workflow.upsertTypedSearchAttributes(ENVIRONMENT.valueSet(environment));
        }
    }

    /** Records how the workflow ended; workflow code, once its change is on. */
    public static void ended(String outcome) {
        Workflow.upsertTypedSearchAttributes(OUTCOME.valueSet(outcome));
    }
}
