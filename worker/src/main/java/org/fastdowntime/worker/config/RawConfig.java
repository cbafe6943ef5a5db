package org.fastdowntime.worker.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The config file's shape, as written: every key optional here (the section readers say what is required),
 * durations already {@code Duration}, budgets by name ({@code budgets: {qaLead: 30m}}, see {@link
 * org.fastdowntime.env.Budgets}); a monthly entry as written, its timing read by name ({@link MonthlySection}).
 */
record RawConfig(
        RawTemporal temporal,
        Map<String, RawEnvironment> environments,
        Map<String, ObjectNode> monthly,
        RawHttp http,
        Map<String, RawFleet> fleets) {

    /**
     * {@code fleets: {NAME: {environment, members, template, catalog, canary, parallelism, failurePolicy, mode}}}:
     * members listed, from a template, and/or from a catalog query.
     */
    record RawFleet(
            String environment,
            List<RawMember> members,
            RawTemplate template,
            RawCatalog catalog,
            List<String> canary,
            Integer parallelism,
            String failurePolicy,
            String mode) {}

    /** {@code {name, jdbcUrl}}. */
    record RawMember(String name, String jdbcUrl) {}

    /** {@code {jdbcUrl: …/shard_{n}, name: shard_{n}, from: 1, to: 100, digits: 3}}. */
    record RawTemplate(String jdbcUrl, String name, Integer from, Integer to, Integer digits) {}

    /** {@code {jdbcUrl, query}}: the query returns (name, jdbc URL) rows. */
    record RawCatalog(String jdbcUrl, String query) {}

    record RawTemporal(
            String target,
            String namespace,
            String taskQueue,
            RawTls tls,
            String apiKey,
            String apiKeyEnv,
            String apiKeyFile,
            String httpTarget) {}

    record RawTls(
            Boolean enabled,
            String caFile,
            String certFile,
            String keyFile,
            String keyPasswordEnv,
            String keyPasswordFile,
            String serverName,
            Boolean disableHostVerification) {}

    record RawHook(List<String> command, String url, String method, Duration timeout) {}

    record RawChecks(List<String> urls, String sql) {}

    record RawEnvironment(
            String jdbcUrl,
            String user,
            String passwordEnv,
            String passwordFile,
            String patches,
            String revisionTable,
            String maintenanceDatabase,
            String staging,
            List<String> approvers,
            List<String> signOffApprovers,
            List<String> systemUsers,
            List<String> fragileUsers,
            List<String> badUsers,
            List<RawHook> quiesce,
            List<RawHook> resume,
            RawChecks checks,
            Map<String, JsonNode> budgets,
            String gate,
            RawPgBouncer pgbouncer,
            RawAnnounce announce,
            List<String> repeatableScripts,
            List<RawGrant> grants,
            List<RawStandby> standbys,
            Integer standbyCount,
            String rehearsal,
            RawApprovals approvals) {}

    /** {@code approvals: {require: named|signed, allowedSigners: FILE}}. */
    record RawApprovals(String require, String allowedSigners) {}

    /** {@code standbys: [{name, jdbcUrl, pgbouncer}]}: jdbcUrl and pgbouncer optional. */
    record RawStandby(String name, String jdbcUrl, RawPgBouncer pgbouncer) {}

    /** {@code grants: [{role, tables: [SELECT, …], sequences: [USAGE, …]}]}. */
    record RawGrant(String role, List<String> tables, List<String> sequences) {}

    record RawAnnounce(List<RawWebhook> webhooks, RawEmail email, Boolean feed) {}

    record RawWebhook(String url, Duration timeout) {}

    record RawEmail(
            String host,
            Integer port,
            String security,
            String username,
            String passwordEnv,
            String passwordFile,
            String from,
            List<String> to,
            Duration timeout) {}

    record RawHttp(String bind, Integer port) {}

    record RawPgBouncer(
            String host,
            Integer port,
            String adminUser,
            String adminPasswordEnv,
            String adminPasswordFile,
            List<String> databases,
            Duration pauseTimeout) {}

    record RawMonthly(
            String repository,
            String develBranch,
            String dbStableBranch,
            String patchesPath,
            String rcStateFile,
            String qastaging,
            Map<String, List<String>> parties,
            List<String> leads,
            String ciStatusUrl,
            String committer) {}
}
