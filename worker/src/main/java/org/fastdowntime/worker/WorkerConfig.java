package org.fastdowntime.worker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.fastdowntime.announce.AnnounceSettings;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.env.Hook;
import org.fastdowntime.env.StandbySettings;
import org.fastdowntime.patch.EngineSettings;
import org.fastdowntime.patch.Grant;
import org.fastdowntime.pgbouncer.PgBouncerSettings;
import org.fastdowntime.release.MonthlySettings;
import org.fastdowntime.time.Durations;

/**
 * The worker's one YAML file: a record per section, validated at start with messages that name the
 * bad key. Secrets are never in the file itself: {@code passwordEnv} names an environment variable,
 * {@code passwordFile} a file.
 */
public record WorkerConfig(
        TemporalSettings temporal,
        Map<String, EnvironmentSettings> environments,
        Map<String, MonthlySettings> monthly,
        Map<String, AnnounceSettings> announce,
        Http http) {

    public WorkerConfig(TemporalSettings temporal, Map<String, EnvironmentSettings> environments) {
        this(temporal, environments, Map.of());
    }

    public WorkerConfig(
            TemporalSettings temporal,
            Map<String, EnvironmentSettings> environments,
            Map<String, MonthlySettings> monthly) {
        this(temporal, environments, monthly, Map.of(), null);
    }

    public WorkerConfig withAnnounce(Map<String, AnnounceSettings> channels) {
        return new WorkerConfig(temporal, environments, monthly, channels, http);
    }

    public WorkerConfig withHttp(Http endpoint) {
        return new WorkerConfig(temporal, environments, monthly, announce, endpoint);
    }

    /**
     * The worker's HTTP endpoint: Prometheus metrics at /metrics and the status feeds at
     * /feed/ENV.atom.
     */
    public record Http(String bind, int port) {}

    /** Thrown for a config that cannot be used; the message names the file and the key. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message);
        }
    }

    // ---- the file's shape
    // ----------------------------------------------------------------------------------

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

    record RawHook(List<String> command, String url, String method, String timeout) {}

    record RawChecks(List<String> urls, String sql) {}

    record RawBudgets(
            String perPatch,
            String outage,
            String qaLead,
            String quiesceLead,
            String heartbeatTimeout,
            String maxTransactionAge,
            String maxStandbyLag,
            String standbyWait,
            String lockTimeout,
            String statementTimeout,
            Integer kickTries,
            String kickInterval,
            String preflightLead,
            String armLead,
            String stagingTotal,
            String standbyCatchUp) {}

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
            RawBudgets budgets,
            String gate,
            RawPgBouncer pgbouncer,
            RawAnnounce announce,
            List<String> repeatableScripts,
            List<RawGrant> grants,
            List<RawStandby> standbys,
            Integer standbyCount,
            String rehearsal) {}

    /** {@code standbys: [{name, jdbcUrl}]}: jdbcUrl optional. */
    record RawStandby(String name, String jdbcUrl) {}

    /** {@code grants: [{role, tables: [SELECT, …], sequences: [USAGE, …]}]}. */
    record RawGrant(String role, List<String> tables, List<String> sequences) {}

    record RawAnnounce(List<RawWebhook> webhooks, RawEmail email, Boolean feed) {}

    record RawWebhook(String url, String timeout) {}

    record RawEmail(
            String host,
            Integer port,
            String security,
            String username,
            String passwordEnv,
            String passwordFile,
            String from,
            List<String> to,
            String timeout) {}

    record RawHttp(String bind, Integer port) {}

    record RawPgBouncer(
            String host,
            Integer port,
            String adminUser,
            String adminPasswordEnv,
            String adminPasswordFile,
            List<String> databases,
            String pauseTimeout) {}

    record RawConfig(
            RawTemporal temporal,
            Map<String, RawEnvironment> environments,
            Map<String, RawMonthly> monthly,
            RawHttp http) {}

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
            String committer,
            String minNotice,
            String confirmLead,
            String reminderLead,
            String servicesPauseLead,
            String mergeLead,
            String windowLength,
            String estimateOverhead,
            String offTrackLimit,
            String backupNotice,
            String postRolloutWatch,
            String ciPollInterval) {}

    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public static WorkerConfig load(Path file) throws Invalid {
        return load(file, System.getenv());
    }

    public static WorkerConfig load(Path file, Map<String, String> env) throws Invalid {
        RawConfig raw;
        try {
            raw = YAML.readValue(Files.readString(file), RawConfig.class);
        } catch (JsonMappingException e) {
            String path = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."))
                    .replace(".[", "[");
            throw new Invalid(file + ": " + (path.isEmpty() ? "" : path + ": ") + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Invalid(file + ": cannot read the config: " + e.getMessage());
        }
        if (raw == null) {
            throw new Invalid(file + ": the config is empty");
        }
        return new Loader(file, env).build(raw);
    }

    private static final class Loader {
        private final Path file;
        private final Path base;
        private final Map<String, String> env;
        private final List<String> errors = new ArrayList<>();

        Loader(Path file, Map<String, String> env) {
            this.file = file;
            this.base = file.toAbsolutePath().getParent();
            this.env = env;
        }

        WorkerConfig build(RawConfig raw) throws Invalid {
            TemporalSettings temporal = temporal(raw.temporal());
            Map<String, EnvironmentSettings> envs = new LinkedHashMap<>();
            Map<String, AnnounceSettings> announce = new LinkedHashMap<>();
            if (raw.environments() != null) {
                raw.environments().forEach((name, e) -> {
                    if (e != null && e.announce() != null) {
                        announce.put(name, announce("environments." + name + ".announce", e.announce()));
                    }
                });
            }
            if (raw.environments() == null || raw.environments().isEmpty()) {
                errors.add("environments: at least one environment is required");
            } else {
                raw.environments().forEach((name, e) -> {
                    EnvironmentSettings s = environment(name, e);
                    if (s != null) {
                        envs.put(name, s);
                    }
                });
                envs.values().forEach(s -> {
                    if (s.staging() != null && !envs.containsKey(s.staging())) {
                        errors.add("environments." + s.name() + ".staging: no environment named '" + s.staging() + "'");
                    }
                });
            }
            Map<String, MonthlySettings> monthly = new LinkedHashMap<>();
            if (raw.monthly() != null) {
                raw.monthly().forEach((name, m) -> {
                    if (!envs.containsKey(name)
                            && !errors.stream().anyMatch(e -> e.startsWith("environments." + name))) {
                        errors.add("monthly." + name + ": no environment named '" + name + "'");
                    } else if (m != null) {
                        MonthlySettings s = monthly("monthly." + name, m, envs);
                        if (s != null) {
                            monthly.put(name, s);
                        }
                    }
                });
            }
            if (!errors.isEmpty()) {
                throw new Invalid(file + ":\n  " + String.join("\n  ", errors));
            }
            return new WorkerConfig(temporal, envs, monthly, announce, http(raw.http()));
        }

        /**
         * The {@code temporal:} section: one layer of the connection (see {@link TemporalSettings});
         * every value names its key and this file, so a bad one is reported where it was written.
         */
        private TemporalSettings temporal(RawTemporal t) {
            if (t == null) {
                return TemporalSettings.NONE;
            }
            String in = " in " + file;
            TemporalSettings.Builder b = TemporalSettings.builder("temporal" + in)
                    .target(t.target(), "temporal.target" + in)
                    .namespace(t.namespace(), "temporal.namespace" + in)
                    .taskQueue(t.taskQueue(), "temporal.taskQueue" + in)
                    .httpTarget(t.httpTarget(), "temporal.httpTarget" + in);
            if (t.apiKey() != null) {
                errors.add("temporal.apiKey: an API key is never written in this file; use apiKeyEnv (an"
                        + " environment variable) or apiKeyFile");
            }
            String key = secret("temporal", "apiKey", t.apiKeyEnv(), t.apiKeyFile());
            if (key != null) {
                String from = t.apiKeyEnv() != null
                        ? "temporal.apiKeyEnv (" + t.apiKeyEnv() + ")" + in
                        : "temporal.apiKeyFile" + in;
                b.apiKey(new TemporalSettings.Secret(key, from), from);
            }
            RawTls tls = t.tls();
            if (tls != null) {
                String k = "temporal.tls.";
                b.tls(tls.enabled() != null ? tls.enabled() : Boolean.TRUE, k + "enabled" + in)
                        .serverCa(pem(tls.caFile()), k + "caFile" + in)
                        .clientCert(pem(tls.certFile()), k + "certFile" + in)
                        .clientKey(pem(tls.keyFile()), k + "keyFile" + in)
                        .serverName(tls.serverName(), k + "serverName" + in)
                        .disableHostVerification(tls.disableHostVerification(), k + "disableHostVerification" + in);
                String password = secret("temporal.tls", "keyPassword", tls.keyPasswordEnv(), tls.keyPasswordFile());
                if (password != null) {
                    String from = k + (tls.keyPasswordEnv() != null ? "keyPasswordEnv" : "keyPasswordFile") + in;
                    b.clientKeyPassword(new TemporalSettings.Secret(password, from), from);
                }
            }
            return b.build();
        }

        private TemporalSettings.Pem pem(String path) {
            return path == null
                    ? null
                    : TemporalSettings.Pem.file(base.resolve(path).normalize());
        }

        private Http http(RawHttp h) {
            if (h == null) {
                return null;
            }
            if (h.port() == null || h.port() < 0 || h.port() > 65535) {
                errors.add("http.port: required, 0-65535 (0 = any free port)");
                return null;
            }
            return new Http(or(h.bind(), "127.0.0.1"), h.port());
        }

        private AnnounceSettings announce(String key, RawAnnounce a) {
            List<AnnounceSettings.Webhook> hooks = new ArrayList<>();
            List<RawWebhook> raw = a.webhooks() == null ? List.of() : a.webhooks();
            for (int i = 0; i < raw.size(); i++) {
                RawWebhook w = raw.get(i);
                String k = key + ".webhooks[" + i + "]";
                if (w == null
                        || w.url() == null
                        || !(w.url().startsWith("http://") || w.url().startsWith("https://"))) {
                    errors.add(k + ".url: required, an http:// or https:// URL");
                    continue;
                }
                hooks.add(new AnnounceSettings.Webhook(
                        w.url(), duration(k + ".timeout", w.timeout(), Duration.ofSeconds(10))));
            }
            AnnounceSettings.Email email = null;
            if (a.email() != null) {
                RawEmail m = a.email();
                String k = key + ".email";
                String security = or(m.security(), "starttls").toLowerCase(java.util.Locale.ROOT);
                if (!List.of("starttls", "tls", "none").contains(security)) {
                    errors.add(k + ".security: starttls, tls or none, not '" + m.security() + "'");
                }
                if (m.host() == null) {
                    errors.add(k + ".host: required");
                }
                if (m.from() == null || m.to() == null || m.to().isEmpty()) {
                    errors.add(k + ": from and to (a list) are required");
                }
                String password = secret(k, "password", m.passwordEnv(), m.passwordFile());
                if (m.username() != null && password == null && m.passwordEnv() == null && m.passwordFile() == null) {
                    errors.add(k + ": username needs passwordEnv or passwordFile");
                }
                int port = m.port() != null ? m.port() : security.equals("tls") ? 465 : 587;
                email = new AnnounceSettings.Email(
                        m.host(),
                        port,
                        security,
                        m.username(),
                        password,
                        m.from(),
                        m.to(),
                        duration(k + ".timeout", m.timeout(), Duration.ofSeconds(20)));
            }
            return new AnnounceSettings(hooks, email, Boolean.TRUE.equals(a.feed()));
        }

        private MonthlySettings monthly(String key, RawMonthly m, Map<String, EnvironmentSettings> envs) {
            int before = errors.size();
            Path repo = null;
            if (m.repository() == null) {
                errors.add(key + ".repository: required (a clone with devel checked out)");
            } else {
                repo = base.resolve(m.repository()).normalize();
                if (!Files.isDirectory(repo.resolve(".git"))) {
                    errors.add(key + ".repository: " + repo + " is not a git working tree");
                }
            }
            if (m.qastaging() != null && !envs.containsKey(m.qastaging())) {
                errors.add(key + ".qastaging: no environment named '" + m.qastaging() + "'");
            }
            if (m.parties() == null || m.parties().isEmpty()) {
                errors.add(key + ".parties: at least one confirming party (name: [people])");
            }
            if (m.leads() == null || m.leads().isEmpty()) {
                errors.add(key + ".leads: at least one lead");
            }
            MonthlySettings.Timing d = MonthlySettings.Timing.defaults();
            MonthlySettings.Timing t = new MonthlySettings.Timing(
                    duration(key + ".minNotice", m.minNotice(), d.minNotice()),
                    duration(key + ".confirmLead", m.confirmLead(), d.confirmLead()),
                    duration(key + ".reminderLead", m.reminderLead(), d.reminderLead()),
                    duration(key + ".servicesPauseLead", m.servicesPauseLead(), d.servicesPauseLead()),
                    duration(key + ".mergeLead", m.mergeLead(), d.mergeLead()),
                    duration(key + ".windowLength", m.windowLength(), d.windowLength()),
                    duration(key + ".estimateOverhead", m.estimateOverhead(), d.estimateOverhead()),
                    duration(key + ".offTrackLimit", m.offTrackLimit(), d.offTrackLimit()),
                    duration(key + ".backupNotice", m.backupNotice(), d.backupNotice()),
                    duration(key + ".postRolloutWatch", m.postRolloutWatch(), d.postRolloutWatch()),
                    duration(key + ".ciPollInterval", m.ciPollInterval(), d.ciPollInterval()));
            if (errors.size() > before) {
                return null;
            }
            return new MonthlySettings(
                    repo,
                    or(m.develBranch(), "devel"),
                    or(m.dbStableBranch(), "db-stable"),
                    or(m.patchesPath(), "database/schema"),
                    m.rcStateFile() == null ? null : base.resolve(m.rcStateFile()),
                    m.qastaging(),
                    Map.copyOf(m.parties()),
                    List.copyOf(m.leads()),
                    m.ciStatusUrl(),
                    m.committer(),
                    t);
        }

        private EnvironmentSettings environment(String name, RawEnvironment e) {
            String key = "environments." + name;
            if (e == null) {
                errors.add(key + ": empty");
                return null;
            }
            int before = errors.size();
            if (e.jdbcUrl() == null || !e.jdbcUrl().startsWith("jdbc:postgresql://")) {
                errors.add(key + ".jdbcUrl: required, jdbc:postgresql://host:port/database");
            } else if (e.jdbcUrl().toLowerCase().contains("password=")) {
                errors.add(key + ".jdbcUrl: must not contain a password; use passwordEnv or passwordFile");
            }
            if (e.user() == null || e.user().isBlank()) {
                errors.add(key + ".user: required");
            }
            String password = password(key, e);
            Path patches = null;
            if (e.patches() == null) {
                errors.add(key + ".patches: required (the patch folder)");
            } else {
                patches = base.resolve(e.patches()).normalize();
                if (!Files.isDirectory(patches)) {
                    errors.add(key + ".patches: " + patches + " is not a directory");
                }
            }
            String revisionTable = or(e.revisionTable(), EngineSettings.DEFAULT_REVISION_TABLE);
            try {
                EngineSettings.defaults().withRevisionTable(revisionTable);
            } catch (IllegalArgumentException ex) {
                errors.add(key + ".revisionTable: " + ex.getMessage());
            }
            EnvironmentSettings.Budgets budgets = budgets(key + ".budgets", e.budgets());
            List<Hook> quiesce = hooks(key + ".quiesce", e.quiesce());
            List<Hook> resume = hooks(key + ".resume", e.resume());
            RawChecks checks = e.checks() == null ? new RawChecks(List.of(), null) : e.checks();
            List<Grant> grants = grants(key + ".grants", e.grants());
            StandbySettings standbys = standbys(key, e);
            List<String> scripts = list(e.repeatableScripts(), EngineSettings.LAUNCHPAD_SCRIPTS);
            for (int i = 0; i < scripts.size(); i++) {
                String f = scripts.get(i);
                if (f == null
                        || f.isBlank()
                        || f.contains("/")
                        || f.toLowerCase().startsWith("patch-")) {
                    errors.add(key + ".repeatableScripts[" + i + "]: a file name in the patch folder, not a patch");
                }
            }
            if (errors.size() > before) {
                return null;
            }
            LinkedHashSet<String> system = new LinkedHashSet<>(list(e.systemUsers(), List.of("postgres")));
            EnvironmentSettings s = EnvironmentSettings.builder(name, e.jdbcUrl())
                    .user(e.user())
                    .password(password)
                    .patches(patches)
                    .revisionTable(revisionTable)
                    .maintenanceDatabase(or(e.maintenanceDatabase(), "postgres"))
                    .staging(e.staging())
                    .approvers(list(e.approvers(), List.of()))
                    .signOffApprovers(list(e.signOffApprovers(), List.of()))
                    .systemUsers(system)
                    .fragileUsers(new LinkedHashSet<>(list(e.fragileUsers(), List.of())))
                    .badUsers(new LinkedHashSet<>(list(e.badUsers(), List.of())))
                    .quiesce(quiesce)
                    .resume(resume)
                    .checkUrls(list(checks.urls(), List.of()))
                    .checkSql(checks.sql())
                    .budgets(budgets)
                    .pgbouncer(pgbouncer(key, e))
                    .repeatableScripts(scripts)
                    .grants(grants)
                    .standbys(standbys)
                    .rehearsal(rehearsal(key, e.rehearsal(), errors))
                    .build();
            try {
                s.databaseName();
                if (s.databaseName().equals(s.maintenanceDatabase())) {
                    errors.add(key
                            + ".maintenanceDatabase: must differ from the target database (PostgreSQL refuses"
                            + " to close the gate of the database one is connected to)");
                }
            } catch (IllegalArgumentException ex) {
                errors.add(key + ".jdbcUrl: " + ex.getMessage());
            }
            return s;
        }

        /** {@code rehearsal: auto|staging|copy|none}; auto when absent. */
        private static EnvironmentSettings.Rehearsal rehearsal(String key, String value, List<String> errors) {
            if (value == null) {
                return EnvironmentSettings.Rehearsal.AUTO;
            }
            try {
                return EnvironmentSettings.Rehearsal.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException ex) {
                errors.add(key + ".rehearsal: one of auto, staging, copy, none (got '" + value + "')");
                return EnvironmentSettings.Rehearsal.AUTO;
            }
        }

        private String password(String key, RawEnvironment e) {
            return secret(key, "password", e.passwordEnv(), e.passwordFile());
        }

        /**
         * A secret from {@code <name>Env} (an environment variable) or {@code <name>File}; never from
         * the file itself.
         */
        private String secret(String key, String name, String fromEnv, String fromFile) {
            if (fromEnv != null && fromFile != null) {
                errors.add(key + ": give " + name + "Env or " + name + "File, not both");
                return null;
            }
            if (fromEnv != null) {
                String v = env.get(fromEnv);
                if (v == null) {
                    errors.add(key + "." + name + "Env: the environment variable " + fromEnv + " is not set");
                }
                return v;
            }
            if (fromFile != null) {
                try {
                    return Files.readString(base.resolve(fromFile)).strip();
                } catch (IOException ex) {
                    errors.add(key + "." + name + "File: cannot read " + fromFile + ": " + ex.getMessage());
                }
            }
            return null;
        }

        private PgBouncerSettings pgbouncer(String key, RawEnvironment e) {
            String gate = e.gate() == null ? (e.pgbouncer() == null ? "native" : "pgbouncer") : e.gate();
            if (!gate.equals("native") && !gate.equals("pgbouncer")) {
                errors.add(key + ".gate: native or pgbouncer, not '" + gate + "'");
                return null;
            }
            if (gate.equals("native")) {
                if (e.pgbouncer() != null) {
                    errors.add(key + ".pgbouncer: configured, but gate is native");
                }
                return null;
            }
            RawPgBouncer p = e.pgbouncer();
            if (p == null) {
                errors.add(key + ".pgbouncer: required when gate is pgbouncer (host, port, adminUser, databases)");
                return null;
            }
            String k = key + ".pgbouncer";
            if (p.databases() == null || p.databases().isEmpty()) {
                errors.add(k + ".databases: the pgbouncer databases that point at this environment's database");
                return null;
            }
            String password = secret(k, "adminPassword", p.adminPasswordEnv(), p.adminPasswordFile());
            try {
                return new PgBouncerSettings(
                        or(p.host(), "127.0.0.1"),
                        p.port() == null ? 6432 : p.port(),
                        or(p.adminUser(), "pgbouncer"),
                        password,
                        p.databases(),
                        duration(k + ".pauseTimeout", p.pauseTimeout(), Duration.ofSeconds(5)));
            } catch (IllegalArgumentException ex) {
                errors.add(k + ".databases: " + ex.getMessage());
                return null;
            }
        }

        private StandbySettings standbys(String key, RawEnvironment e) {
            List<StandbySettings.Standby> named = new ArrayList<>();
            List<RawStandby> raw = e.standbys() == null ? List.of() : e.standbys();
            for (int i = 0; i < raw.size(); i++) {
                RawStandby r = raw.get(i);
                try {
                    if (r == null) {
                        throw new IllegalArgumentException("empty");
                    }
                    if (r.jdbcUrl() != null && !r.jdbcUrl().startsWith("jdbc:postgresql://")) {
                        throw new IllegalArgumentException("jdbcUrl must be jdbc:postgresql://host:port/database");
                    }
                    named.add(new StandbySettings.Standby(r.name(), r.jdbcUrl()));
                } catch (IllegalArgumentException ex) {
                    errors.add(key + ".standbys[" + i + "]: " + ex.getMessage());
                }
            }
            int count = e.standbyCount() == null ? 0 : e.standbyCount();
            if (count < 0) {
                errors.add(key + ".standbyCount: cannot be negative");
                count = 0;
            }
            return new StandbySettings(named, count);
        }

        private List<Grant> grants(String key, List<RawGrant> raw) {
            List<Grant> out = new ArrayList<>();
            if (raw == null) {
                return out;
            }
            for (int i = 0; i < raw.size(); i++) {
                RawGrant g = raw.get(i);
                try {
                    if (g == null) {
                        throw new IllegalArgumentException("empty");
                    }
                    out.add(new Grant(g.role(), g.tables(), g.sequences()));
                } catch (IllegalArgumentException ex) {
                    errors.add(key + "[" + i + "]: " + ex.getMessage());
                }
            }
            return out;
        }

        private EnvironmentSettings.Budgets budgets(String key, RawBudgets b) {
            EnvironmentSettings.Budgets d = EnvironmentSettings.Budgets.defaults();
            if (b == null) {
                return d;
            }
            int tries = b.kickTries() == null ? d.kickTries() : b.kickTries();
            if (tries < 1) {
                errors.add(key + ".kickTries: must be at least 1");
            }
            EnvironmentSettings.Budgets out = new EnvironmentSettings.Budgets(
                    duration(key + ".perPatch", b.perPatch(), d.perPatch()),
                    duration(key + ".outage", b.outage(), d.outage()),
                    duration(key + ".qaLead", b.qaLead(), d.qaLead()),
                    duration(key + ".quiesceLead", b.quiesceLead(), d.quiesceLead()),
                    duration(key + ".heartbeatTimeout", b.heartbeatTimeout(), d.heartbeatTimeout()),
                    duration(key + ".maxTransactionAge", b.maxTransactionAge(), d.maxTransactionAge()),
                    duration(key + ".maxStandbyLag", b.maxStandbyLag(), d.maxStandbyLag()),
                    duration(key + ".standbyWait", b.standbyWait(), d.standbyWait()),
                    duration(key + ".lockTimeout", b.lockTimeout(), d.lockTimeout()),
                    duration(key + ".statementTimeout", b.statementTimeout(), d.statementTimeout()),
                    tries,
                    duration(key + ".kickInterval", b.kickInterval(), d.kickInterval()),
                    duration(key + ".preflightLead", b.preflightLead(), d.preflightLead()),
                    duration(key + ".armLead", b.armLead(), d.armLead()),
                    duration(key + ".stagingTotal", b.stagingTotal(), d.stagingTotal()),
                    duration(key + ".standbyCatchUp", b.standbyCatchUp(), d.standbyCatchUp()));
            // The steps before a window happen in this order: quiesce, preflight, arming the outage.
            if (out.quiesceLead().compareTo(out.preflightLead()) < 0) {
                errors.add(key + ".quiesceLead: must be at least preflightLead (" + out.preflightLead() + ")");
            }
            if (out.preflightLead().compareTo(out.armLead()) < 0) {
                errors.add(key + ".preflightLead: must be at least armLead (" + out.armLead() + ")");
            }
            return out;
        }

        private Duration duration(String key, String text, Duration fallback) {
            if (text == null) {
                return fallback;
            }
            try {
                Duration d = Durations.parse(text);
                if (d.isNegative()) {
                    errors.add(key + ": must not be negative");
                }
                return d;
            } catch (IllegalArgumentException e) {
                errors.add(key + ": " + e.getMessage());
                return fallback;
            }
        }

        private List<Hook> hooks(String key, List<RawHook> raw) {
            List<Hook> out = new ArrayList<>();
            if (raw == null) {
                return out;
            }
            for (int i = 0; i < raw.size(); i++) {
                RawHook h = raw.get(i);
                String k = key + "[" + i + "]";
                boolean cmd = h != null && h.command() != null && !h.command().isEmpty();
                boolean url = h != null && h.url() != null;
                if (cmd == url) {
                    errors.add(k + ": give exactly one of command (a list of arguments) or url");
                    continue;
                }
                out.add(new Hook(
                        h.command(),
                        h.url(),
                        h.method(),
                        duration(k + ".timeout", h.timeout(), Duration.ofSeconds(30))));
            }
            return out;
        }

        private static String or(String v, String fallback) {
            return v == null || v.isBlank() ? fallback : v;
        }

        private static <T> List<T> list(List<T> v, List<T> fallback) {
            return v == null ? fallback : List.copyOf(v);
        }
    }
}
