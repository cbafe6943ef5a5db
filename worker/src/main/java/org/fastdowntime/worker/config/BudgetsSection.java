package org.fastdowntime.worker.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.fastdowntime.env.Budgets;

/**
 * An environment's {@code budgets:}: each key a budget of {@link Budgets} by name, read as its type; the others
 * keep their defaults. Then the order of the leads is checked: quiesce, preflight, arming the outage.
 */
final class BudgetsSection extends Sections {
    BudgetsSection(Sections shared) {
        super(shared);
    }

    Budgets read(String key, Map<String, JsonNode> raw) {
        Budgets defaults = Budgets.defaults();
        if (raw == null) {
            return defaults;
        }
        Map<String, Object> given = NamedSettings.read(key, raw, Budgets.class, "budget", problems);
        Budgets out = defaults.with(given);
        if (out.kickTries() < 1) {
            problems.add(key + ".kickTries", "must be at least 1");
        }
        if (out.quiesceLead().compareTo(out.preflightLead()) < 0) {
            problems.add(key + ".quiesceLead", "must be at least preflightLead (" + out.preflightLead() + ")");
        }
        if (out.preflightLead().compareTo(out.armLead()) < 0) {
            problems.add(key + ".preflightLead", "must be at least armLead (" + out.armLead() + ")");
        }
        return out;
    }
}
