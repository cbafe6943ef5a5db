package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.env.Environments;
import org.fastdowntime.env.FleetSettings;
import org.fastdowntime.fleet.FleetActivitiesImpl;
import org.fastdowntime.model.FailurePolicy;
import org.fastdowntime.model.FleetMode;
import org.fastdowntime.sandbox.ThrowawayCluster;
import org.fastdowntime.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an atomic fleet window asks of each member before any gate closes: a server that allows prepared
 * transactions, and none of this program's left behind by an earlier window.
 */
class FleetPreflightTest {
    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    private static FleetActivitiesImpl fleetOn(String url) {
        String plain = url.replaceAll("\\?.*$", "");
        EnvironmentSettings shared = EnvironmentSettings.builder("shared", plain)
                .patches(TestDatabase.demoPatches())
                .approvers(List.of("alice"))
                .build();
        FleetSettings fleet = new FleetSettings(
                "shards",
                "shared",
                List.of(new FleetSettings.Member("m1", plain)),
                null,
                null,
                List.of(),
                1,
                FailurePolicy.STOP,
                FleetMode.ATOMIC);
        return new FleetActivitiesImpl(new Environments(Map.of("shared", shared), Map.of("shards", fleet)));
    }

    @Test
    void aServerThatRefusesPreparedTransactionsFailsTheAtomicPreflight() throws Exception {
        try (ThrowawayCluster cluster = ThrowawayCluster.start()) { // initdb's default: max_prepared_transactions 0
            FleetActivitiesImpl fleet = fleetOn(cluster.url("postgres"));
            ApplicationFailure e =
                    assertThrows(ApplicationFailure.class, () -> fleet.preflightMember("shards/m1", true));
            assertEquals("PREFLIGHT_FAILED", e.getType());
            assertTrue(e.getOriginalMessage().contains("shards/m1: max_prepared_transactions is 0"), e.getMessage());
            assertTrue(
                    fleet.preflightMember("shards/m1", false).passed().stream()
                            .noneMatch(p -> p.contains("max_prepared_transactions")),
                    "a waves window does not need it");
        }
    }

    @Test
    void aPreparedTransactionLeftByAnEarlierWindowFailsTheAtomicPreflight() throws Exception {
        FleetActivitiesImpl fleet = fleetOn(db.url());
        assertTrue(
                fleet.preflightMember("shards/m1", true).passed().stream()
                        .anyMatch(p -> p.startsWith("max_prepared_transactions = ")),
                "this server allows them");
        try (Connection c = DriverManager.getConnection(db.url());
                Statement st = c.createStatement()) {
            st.execute("BEGIN; CREATE TABLE left_behind (id int); PREPARE TRANSACTION 'fastdowntime:old-window/m1'");
        }
        try {
            ApplicationFailure e =
                    assertThrows(ApplicationFailure.class, () -> fleet.preflightMember("shards/m1", true));
            assertEquals("PREFLIGHT_FAILED", e.getType());
            assertTrue(e.getOriginalMessage().contains("fastdowntime:old-window/m1"), e.getMessage());
        } finally {
            try (Connection c = DriverManager.getConnection(db.url());
                    Statement st = c.createStatement()) {
                st.execute("ROLLBACK PREPARED 'fastdowntime:old-window/m1'");
            }
        }
    }
}
