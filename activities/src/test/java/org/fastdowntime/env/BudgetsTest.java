package org.fastdowntime.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Budgets are copied by name: one changed, every other kept; a name that is no budget is refused. */
@Tag("unit")
class BudgetsTest {
    @Test
    void aCopyByNameChangesThatBudgetOnly() {
        Budgets d = Budgets.defaults();
        Budgets b = d.with(Map.of("lockTimeout", Duration.ofSeconds(2), "kickTries", 7));
        assertEquals(Duration.ofSeconds(2), b.lockTimeout());
        assertEquals(7, b.kickTries());
        assertEquals(d.with(Map.of("lockTimeout", d.lockTimeout(), "kickTries", d.kickTries())), d);
        assertEquals(d.qaLead(), b.qaLead());
        assertEquals(d.standbyCatchUp(), b.standbyCatchUp());
    }

    @Test
    void theNamedCopiesAreTheGenericOne() {
        Budgets d = Budgets.defaults();
        Budgets leads = d.withLeads(
                Duration.ofMinutes(3), Duration.ofMinutes(2), Duration.ofMinutes(1), Duration.ofSeconds(10));
        assertEquals(Duration.ofMinutes(3), leads.qaLead());
        assertEquals(Duration.ofSeconds(10), leads.armLead());
        assertEquals(d.outage(), leads.outage());
        Budgets standbys = d.withStandbys(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3));
        assertEquals(Duration.ofSeconds(3), standbys.standbyCatchUp());
        assertEquals(
                Duration.ofSeconds(9),
                d.withHeartbeatTimeout(Duration.ofSeconds(9)).heartbeatTimeout());
    }

    @Test
    void namesAreTheYamlKeysInTheirGroupsAndTypesAreTheirs() {
        assertEquals("qaLead", Budgets.names().get(0));
        assertEquals(16, Budgets.names().size());
        assertEquals(int.class, Budgets.typeOf("kickTries"));
        assertEquals(Duration.class, Budgets.typeOf("perPatch"));
        assertNull(Budgets.typeOf("lockTimout"));
    }

    @Test
    void aNameThatIsNoBudgetOrAWrongTypeIsRefused() {
        IllegalArgumentException unknown = assertThrows(
                IllegalArgumentException.class,
                () -> Budgets.defaults().with(Map.of("lockTimout", Duration.ofSeconds(1))));
        assertTrue(unknown.getMessage().contains("no budget named 'lockTimout'"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Budgets.defaults().with(Map.of("kickTries", "seven")));
    }
}
