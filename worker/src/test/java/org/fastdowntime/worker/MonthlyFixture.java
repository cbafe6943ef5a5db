package org.fastdowntime.worker;

import com.google.inject.Guice;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fastdowntime.downtime.DowntimeSearchAttributes;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.model.Deployment;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.patch.EngineSettings;
import org.fastdowntime.patch.PatchEngine;
import org.fastdowntime.patch.PatchFolder;
import org.fastdowntime.ports.OutageActivities;
import org.fastdowntime.release.Git;
import org.fastdowntime.release.MonthlySettings;
import org.fastdowntime.testing.TestDatabase;
import org.fastdowntime.worker.config.WorkerConfig;

/**
 * The monthly world: a git repository whose devel holds the baseline and 2300-01-0, a db-stable
 * branch with revisions r1 (patch 2300-02-0), r2 (a README change), r3 (patch 2300-04-0) and r4
 * (patch 2300-05-0); production, staging and qastaging databases at devel's level; a worker with
 * the real activities on Temporal's test service.
 */
final class MonthlyFixture implements AutoCloseable {
    static final String QUEUE = "monthly-test";
    final Path repo;
    final Git git;
    final String prod;
    final List<String> databases = new ArrayList<>();
    final Map<String, String> revision = new LinkedHashMap<>();
    final Map<String, EnvironmentSettings> environments = new LinkedHashMap<>();
    MonthlySettings monthly;
    TestWorkflowEnvironment env;

    MonthlyFixture(Path dir) throws Exception {
        repo = dir.resolve("launchpad");
        Path schema = repo.resolve("database/schema");
        Files.createDirectories(schema);
        git = new Git(repo);
        git.run("init", "-q", "-b", "devel");
        git.run("config", "user.name", "Dev Eloper");
        git.run("config", "user.email", "dev@example.com");
        Path demo = TestDatabase.demoPatches();
        Files.copy(demo.resolve("demo-2300-00-0.sql"), schema.resolve("demo-2300-00-0.sql"));
        Files.copy(demo.resolve("patch-2300-01-0.sql"), schema.resolve("patch-2300-01-0.sql"));
        commit("Baseline and bug tags.");
        git.run("checkout", "-q", "-b", "db-stable");
        Files.copy(demo.resolve("patch-2300-02-0.sql"), schema.resolve("patch-2300-02-0.sql"));
        revision.put("r1", commit("Bug heat."));
        Files.writeString(repo.resolve("README"), "Launchpad\n");
        revision.put("r2", commit("Docs only."));
        Files.copy(demo.resolve("patch-2300-04-0.sql"), schema.resolve("patch-2300-04-0.sql"));
        revision.put("r3", commit("Valid person names."));
        Files.copy(demo.resolve("patch-2300-05-0.sql"), schema.resolve("patch-2300-05-0.sql"));
        revision.put("r4", commit("Touch bugs on new messages."));
        git.run("checkout", "-q", "devel");

        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        prod = "fdt_month_" + suffix;
        for (String name : List.of("prod", "staging", "qastaging")) {
            String db = "fdt_month_" + suffix + (name.equals("prod") ? "" : "_" + name.substring(0, 3));
            databases.add(db);
            try (Connection c = TestDatabase.admin();
                    Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + db);
            }
            String url = TestDatabase.SERVER.replaceFirst("/postgres\\?", "/" + db + "?");
            try (Connection c = DriverManager.getConnection(url)) {
                PatchEngine engine = new PatchEngine(EngineSettings.defaults());
                var set = PatchFolder.scan(schema, "LaunchpadDatabaseRevision", 15);
                engine.loadBaseline(c, set);
                engine.applyCold(
                        c, set, List.of(PatchId.parse("2300-01-0")), new Deployment("setup", "test", null, null));
            }
            environments.put(
                    name,
                    EnvironmentSettings.builder(name, url.replaceAll("\\?.*$", ""))
                            .patches(schema)
                            .staging(name.equals("prod") ? "staging" : null)
                            .approvers(List.of("alice"))
                            .signOffApprovers(List.of("francis"))
                            .checkSql("SELECT count(*) FROM bug")
                            .budgets(
                                    org.fastdowntime.env.Budgets.defaults().withHeartbeatTimeout(Duration.ofSeconds(3)))
                            .build());
        }
        monthly = new MonthlySettings(
                repo,
                "devel",
                "db-stable",
                "database/schema",
                null,
                "qastaging",
                Map.of("stakeholders", List.of("sam"), "operations", List.of("olga"), "dba", List.of("stuart")),
                List.of("francis"),
                null,
                null,
                MonthlySettings.Timing.defaults());
    }

    String commit(String message) throws Exception {
        git.run("add", "-A");
        git.run("commit", "-q", "-m", message);
        return git.resolve("HEAD");
    }

    /**
     * Starts the test service with the real activities, or with {@code outage} in place of the real
     * outage.
     */
    void start(OutageActivities outage) {
        env = TestWorkflowEnvironment.newInstance();
        DowntimeSearchAttributes.types().forEach(env::registerSearchAttribute);
        Worker w = env.newWorker(QUEUE, WorkerRuntime.workerOptions());
        var injector = Guice.createInjector(new WorkerModule(new WorkerConfig(
                org.fastdowntime.worker.TemporalSettings.NONE, environments, Map.of("prod", monthly))));
        if (outage == null) {
            WorkerRuntime.register(w, injector);
        } else {
            w.registerWorkflowImplementationTypes(
                    org.fastdowntime.fast.FastDowntimeWorkflowImpl.class,
                    org.fastdowntime.monthly.MonthlyDowntimeWorkflowImpl.class);
            w.registerActivitiesImplementations(
                    injector.getInstance(org.fastdowntime.ports.DatabaseActivities.class),
                    outage,
                    injector.getInstance(org.fastdowntime.ports.WindowActivities.class),
                    injector.getInstance(org.fastdowntime.ports.MonthlyActivities.class));
        }
        env.start();
    }

    Instant now() {
        return Instant.ofEpochMilli(env.currentTimeMillis());
    }

    long count(int which, String sql) throws Exception {
        String url = TestDatabase.SERVER.replaceFirst("/postgres\\?", "/" + databases.get(which) + "?");
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement();
                var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws Exception {
        if (env != null) {
            env.close();
        }
        for (String db : databases) {
            TestDatabase.drop(db);
        }
    }
}
