package org.fastdowntime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.worker.config.WorkerConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class WorkerConfigTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Files.createDirectories(dir.resolve("patches"));
        Path f = dir.resolve("worker.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private static final String GOOD = """
      temporal:
        taskQueue: fdt
        httpTarget: 127.0.0.1:7300
      environments:
        production:
          jdbcUrl: jdbc:postgresql://127.0.0.1:5432/launchpad
          user: deployer
          passwordEnv: LP_PASSWORD
          patches: patches
          approvers: [alice]
          signOffApprovers: [francis]
          fragileUsers: [process_upload]
          quiesce:
            - command: [systemctl, stop, cron-jobs]
            - url: http://127.0.0.1:8080/quiesce
          budgets:
            qaLead: 30m
            heartbeatTimeout: 3s
      """;

    /** A standby's pgbouncer is paused while the standby catches up: only a standby the worker can reach has one. */
    @Test
    void aStandbysPgbouncerNeedsItsJdbcUrl() throws Exception {
        String yaml = GOOD.replace(
                "    budgets:\n",
                "    standbys:\n      - {name: s1, pgbouncer: {port: 6433, databases: [ro]}}\n    budgets:\n");
        WorkerConfig.Invalid e = assertThrows(
                WorkerConfig.Invalid.class, () -> WorkerConfig.load(write(yaml), Map.of("LP_PASSWORD", "x")));
        assertTrue(
                e.getMessage()
                        .contains("environments.production.standbys[0]: standby s1 has a pgbouncer but no jdbcUrl"),
                e.getMessage());
    }

    /** Every mistake of a fleets: section is named where it was written, all at once. */
    @Test
    void aBadFleetIsRefusedKeyByKey() throws Exception {
        String yaml = GOOD + """
      fleets:
        shards:
          environment: prod
          template: {jdbcUrl: 'jdbc:postgresql://db/shard', from: 5, to: 1}
          members:
            - {name: 'a b', jdbcUrl: 'jdbc:postgresql://db/x'}
            - {name: eu1, jdbcUrl: 'jdbc:postgresql://db/eu1?password=x'}
          canary: [eu9]
          parallelism: 0
          failurePolicy: retry
          mode: all
        empty:
          environment: production
      """;
        WorkerConfig.Invalid e = assertThrows(
                WorkerConfig.Invalid.class, () -> WorkerConfig.load(write(yaml), Map.of("LP_PASSWORD", "x")));
        for (String said : List.of(
                "fleets.shards.environment: no environment named 'prod'",
                "fleets.shards.template.jdbcUrl: must hold {n}",
                "fleets.shards.template: from and to are required",
                "fleets.shards.members[0].name: required: letters, digits",
                "fleets.shards.members[1].jdbcUrl: must not contain a password",
                "fleets.shards.canary: 'eu9' is not one of its members",
                "fleets.shards.parallelism: must be at least 1",
                "fleets.shards.failurePolicy: stop or continue, not 'retry'",
                "fleets.shards.mode: waves or atomic, not 'all'",
                "fleets.empty: no members: give members, a template or a catalog")) {
            assertTrue(e.getMessage().contains(said), said + " in:\n" + e.getMessage());
        }
    }

    @Test
    void readsAValidConfigAndResolvesTheSecret() throws Exception {
        WorkerConfig c = WorkerConfig.load(write(GOOD), Map.of("LP_PASSWORD", "s3cret"));
        EnvironmentSettings p = c.environments().get("production");
        assertEquals("fdt", c.temporal().taskQueue().value());
        assertEquals("127.0.0.1:7300", TemporalConnection.of(c.temporal()).httpTarget());
        assertTrue(c.temporal().httpTarget().from().startsWith("temporal.httpTarget in "));
        assertEquals("127.0.0.1:7233", TemporalConnection.of(c.temporal()).target(), "the default");
        assertEquals("s3cret", p.password());
        assertEquals("launchpad", p.databaseName());
        assertEquals("jdbc:postgresql://127.0.0.1:5432/postgres", p.maintenanceUrl());
        assertEquals(Duration.ofMinutes(30), p.budgets().qaLead());
        assertEquals(Duration.ofSeconds(15), p.budgets().perPatch(), "Launchpad's default");
        assertEquals(2, p.quiesce().size());
        assertTrue(p.systemUsers().contains("postgres"));
        assertFalse(p.toString().contains("s3cret"));
        assertFalse(p.policy().toString().contains("s3cret"));
    }

    @Test
    void theShippedExampleIsValid() throws Exception {
        Path example = Path.of(System.getProperty("fastdowntime.patches"))
                .resolveSibling("config")
                .resolve("worker-example.yaml");
        WorkerConfig c = WorkerConfig.load(
                example,
                Map.of(
                        "FASTDOWNTIME_PRODUCTION_PASSWORD",
                        "p",
                        "FASTDOWNTIME_QASTAGING_PASSWORD",
                        "q",
                        "FASTDOWNTIME_PGBOUNCER_PASSWORD",
                        "pgb-s3cret",
                        "FASTDOWNTIME_SMTP_PASSWORD",
                        "smtp-s3cret"));
        var announce = c.announce().get("production");
        assertEquals(1, announce.webhooks().size());
        assertEquals("starttls", announce.email().security());
        assertEquals("smtp-s3cret", announce.email().password());
        assertFalse(announce.toString().contains("smtp-s3cret"));
        assertTrue(announce.feed());
        assertEquals(new WorkerConfig.Http("127.0.0.1", 9464), c.http());
        assertEquals("qastaging", c.environments().get("production").staging());
        var shards = c.fleets().get("shards");
        assertEquals(100, shards.template().members().size());
        assertEquals("shard_001", shards.template().members().get(0).name());
        assertEquals(
                "jdbc:postgresql://127.0.0.1:5432/shard_100",
                shards.template().members().get(99).jdbcUrl());
        assertEquals(
                List.of(new org.fastdowntime.patch.Grant(
                        "launchpad_main", List.of("SELECT", "INSERT", "UPDATE", "DELETE"), List.of("USAGE", "SELECT"))),
                c.environments().get("production").grants());
        assertEquals(
                List.of("trusted.sql", "comments.sql"),
                c.environments().get("production").repeatableScripts());
        assertEquals(
                List.of(
                        new org.fastdowntime.env.StandbySettings.Standby(
                                "standby1",
                                "jdbc:postgresql://standby1.internal:5432/launchpad",
                                new org.fastdowntime.pgbouncer.PgBouncerSettings(
                                        "standby1.internal",
                                        6432,
                                        "pgbouncer",
                                        null,
                                        List.of("launchpad_ro"),
                                        java.time.Duration.ofSeconds(5))),
                        new org.fastdowntime.env.StandbySettings.Standby("standby2", null)),
                c.environments().get("production").standbys().expected());
        assertEquals(
                Duration.ofSeconds(60),
                c.environments().get("production").budgets().standbyCatchUp());
        assertEquals(
                Duration.ofMillis(100),
                c.environments().get("production").budgets().kickInterval());
        assertEquals(
                List.of("launchpad_qastaging", "launchpad_qastaging_ro"),
                c.environments().get("qastaging").pgbouncer().databases());
        assertEquals("pgb-s3cret", c.environments().get("qastaging").pgbouncer().adminPassword());
        assertFalse(c.environments().get("qastaging").toString().contains("pgb-s3cret"));
        assertFalse(c.environments().get("qastaging").pgbouncer().toString().contains("pgb-s3cret"));
        assertEquals(
                Duration.ofMinutes(90), c.monthly().get("production").timing().windowLength());
        assertEquals(List.of("francis"), c.monthly().get("production").leads());
    }

    @Test
    void errorsNameTheBadKey() throws Exception {
        WorkerConfig.Invalid missingSecret =
                assertThrows(WorkerConfig.Invalid.class, () -> WorkerConfig.load(write(GOOD), Map.of()));
        assertTrue(
                missingSecret
                        .getMessage()
                        .contains("environments.production.passwordEnv: the environment variable"
                                + " LP_PASSWORD is not set"),
                missingSecret.getMessage());

        WorkerConfig.Invalid badDuration = assertThrows(
                WorkerConfig.Invalid.class,
                () -> WorkerConfig.load(
                        write(GOOD.replace("qaLead: 30m", "qaLead: soon")), Map.of("LP_PASSWORD", "x")));
        assertTrue(
                badDuration.getMessage().contains("environments.production.budgets.qaLead: not a duration"),
                badDuration.getMessage());

        WorkerConfig.Invalid unknownKey = assertThrows(
                WorkerConfig.Invalid.class,
                () -> WorkerConfig.load(
                        write(GOOD.replace("approvers: [alice]", "aprovers: [alice]")), Map.of("LP_PASSWORD", "x")));
        assertTrue(
                unknownKey
                        .getMessage()
                        .contains("environments.production.aprovers: not a key here; did you mean" + " 'approvers'?"),
                unknownKey.getMessage());
        WorkerConfig.Invalid noApprover = assertThrows(
                WorkerConfig.Invalid.class,
                () -> WorkerConfig.load(
                        write(GOOD.replace("approvers: [alice]", "approvers: []")), Map.of("LP_PASSWORD", "x")));
        assertTrue(
                noApprover
                        .getMessage()
                        .contains("environments.production.approvers: required: at least one QA" + " engineer"),
                noApprover.getMessage());
        assertTrue(
                unknownKey.getMessage().contains("environments.production")
                        && unknownKey.getMessage().contains("aprovers"),
                unknownKey.getMessage());

        WorkerConfig.Invalid badGrant = assertThrows(
                WorkerConfig.Invalid.class,
                () -> WorkerConfig.load(
                        write(GOOD.replace(
                                "    approvers: [alice]",
                                "    approvers: [alice]\n"
                                        + "    grants: [{role: app, tables: [SELECT, SELEKT]}]\n"
                                        + "    repeatableScripts: [patch-2300-01-0.sql]")),
                        Map.of("LP_PASSWORD", "x")));
        assertTrue(
                badGrant.getMessage().contains("environments.production.grants[0]: 'SELEKT' is not a table privilege"),
                badGrant.getMessage());
        assertTrue(
                badGrant.getMessage().contains("environments.production.repeatableScripts[0]: a file name"),
                badGrant.getMessage());

        WorkerConfig.Invalid badRehearsal = assertThrows(
                WorkerConfig.Invalid.class,
                () -> WorkerConfig.load(
                        write(GOOD.replace("    approvers: [alice]", "    approvers: [alice]\n    rehearsal: often")),
                        Map.of("LP_PASSWORD", "x")));
        assertTrue(
                badRehearsal
                        .getMessage()
                        .contains("environments.production.rehearsal: one of auto, staging, copy, none (got 'often')"),
                badRehearsal.getMessage());

        WorkerConfig.Invalid badChannel = assertThrows(
                WorkerConfig.Invalid.class,
                () -> WorkerConfig.load(
                        write(GOOD.replace(
                                "    approvers: [alice]",
                                "    approvers: [alice]\n"
                                        + "    announce:\n"
                                        + "      webhooks: [{url: ftp://x}]\n"
                                        + "      email: {host: smtp, security: ssl, from: a@b, to: [c@d],"
                                        + " username: u}")),
                        Map.of("LP_PASSWORD", "x")));
        assertTrue(
                badChannel.getMessage().contains("environments.production.announce.webhooks[0].url"),
                badChannel.getMessage());
        assertTrue(
                badChannel
                        .getMessage()
                        .contains("environments.production.announce.email.security: starttls, tls or none"),
                badChannel.getMessage());
        assertTrue(
                badChannel.getMessage().contains("username needs passwordEnv or passwordFile"),
                badChannel.getMessage());

        WorkerConfig.Invalid passwordInUrl = assertThrows(
                WorkerConfig.Invalid.class,
                () -> WorkerConfig.load(
                        write(GOOD.replace("5432/launchpad", "5432/launchpad?password=oops")),
                        Map.of("LP_PASSWORD", "x")));
        assertTrue(passwordInUrl.getMessage().contains("jdbcUrl: must not contain a password"));
        assertFalse(passwordInUrl.getMessage().contains("oops"));

        WorkerConfig.Invalid staging = assertThrows(
                WorkerConfig.Invalid.class,
                () -> WorkerConfig.load(
                        write(GOOD.replace("user: deployer", "user: deployer\n    staging: qastaging")),
                        Map.of("LP_PASSWORD", "x")));
        assertTrue(
                staging.getMessage().contains("environments.production.staging: no environment named 'qastaging'"),
                staging.getMessage());

        WorkerConfig.Invalid hook = assertThrows(
                WorkerConfig.Invalid.class,
                () -> WorkerConfig.load(
                        write(GOOD.replace("- url: http://127.0.0.1:8080/quiesce", "- {}")),
                        Map.of("LP_PASSWORD", "x")));
        assertTrue(
                hook.getMessage().contains("environments.production.quiesce[1]: give exactly one of"),
                hook.getMessage());
    }

    @Test
    void budgetsAndTheMonthlyClockAreReadByNameAndEveryBadOneIsReportedAtOnce() throws Exception {
        Files.createDirectories(dir.resolve("repo/.git"));
        String yaml =
                GOOD.replace("      qaLead: 30m\n", "      qaLead: 30m\n      kickTries: 0\n      lockTimout: 3s\n")
                        + """
                monthly:
                  production:
                    repository: repo
                    parties: {dba: [stuart]}
                    leads: [francis]
                    windowLength: soon
                    mergeLead: 2h
                    mergLead: 2h
                """;
        WorkerConfig.Invalid all = assertThrows(
                WorkerConfig.Invalid.class, () -> WorkerConfig.load(write(yaml), Map.of("LP_PASSWORD", "x")));
        for (String expected : List.of(
                "environments.production.budgets.kickTries: must be at least 1",
                "environments.production.budgets.lockTimout: not a budget; did you mean 'lockTimeout'? (qaLead,",
                "monthly.production.windowLength: not a duration: 'soon'",
                "monthly.production.mergLead: not a key here; did you mean 'mergeLead'? (known: backupNotice,")) {
            assertTrue(all.getMessage().contains(expected), expected + " in " + all.getMessage());
        }

        WorkerConfig good = WorkerConfig.load(
                write(yaml.replace("      kickTries: 0\n      lockTimout: 3s\n", "      kickTries: 7\n")
                        .replace("    windowLength: soon\n", "")
                        .replace("    mergLead: 2h\n", "")),
                Map.of("LP_PASSWORD", "x"));
        EnvironmentSettings p = good.environments().get("production");
        assertEquals(7, p.budgets().kickTries());
        assertEquals(
                org.fastdowntime.env.Budgets.defaults().lockTimeout(),
                p.budgets().lockTimeout(),
                "the default");
        assertEquals(
                Duration.ofHours(2), good.monthly().get("production").timing().mergeLead());
        assertEquals(
                Duration.ofMinutes(90),
                good.monthly().get("production").timing().windowLength(),
                "the default");
    }
}
