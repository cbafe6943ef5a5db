package org.fastdowntime.worker;

import com.google.inject.Guice;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.fastdowntime.downtime.DowntimeSearchAttributes;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.model.Deployment;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.patch.EngineSettings;
import org.fastdowntime.patch.PatchEngine;
import org.fastdowntime.patch.PatchFolder;
import org.fastdowntime.testing.TestDatabase;
import org.fastdowntime.worker.config.WorkerConfig;

/**
 * A fast-downtime world for one test: the demo database on real PostgreSQL, an application role and
 * a fragile role, a Temporal test environment with a worker running the real activities.
 */
final class WindowFixture implements AutoCloseable {
    static final String QUEUE = "fastdowntime-test";

    final TestDatabase db;
    final Path patches;
    final String appRole = "fdt_app_" + suffix();
    final String fragileRole = "fdt_fragile_" + suffix();
    final Map<String, EnvironmentSettings> environments = new LinkedHashMap<>();
    final Map<String, org.fastdowntime.announce.AnnounceSettings> announce = new LinkedHashMap<>();
    final Map<String, org.fastdowntime.release.MonthlySettings> monthly = new LinkedHashMap<>();
    final List<String> extraDatabases = new ArrayList<>();
    final Map<String, org.fastdowntime.env.FleetSettings> fleets = new LinkedHashMap<>();
    TestWorkflowEnvironment env;
    Worker worker;

    WindowFixture(TestDatabase db, Path patches) throws Exception {
        this.db = db;
        this.patches = patches;
        TestDatabase.copyDemoPatches(patches, name -> true);
        loadBaseline(db.url());
        try (Connection c = TestDatabase.admin();
                Statement st = c.createStatement()) {
            for (String role : List.of(appRole, fragileRole)) {
                st.execute("CREATE ROLE " + role + " LOGIN");
                st.execute("GRANT ALL ON DATABASE " + db.name() + " TO " + role);
            }
        }
        db.exec("GRANT ALL ON ALL TABLES IN SCHEMA public TO "
                + appRole
                + ", "
                + fragileRole
                + "; GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "
                + appRole
                + ", "
                + fragileRole);
        environments.put(
                "test", settings("test", db.url(), null, budgets(Duration.ofSeconds(5), Duration.ofSeconds(5))));
    }

    private static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    void loadBaseline(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            new PatchEngine(EngineSettings.defaults())
                    .loadBaseline(c, PatchFolder.scan(patches, "LaunchpadDatabaseRevision", 15));
        }
    }

    static org.fastdowntime.env.Budgets budgets(Duration perPatch, Duration lockTimeout) {
        return org.fastdowntime.env.Budgets.defaults()
                .withPerPatch(perPatch)
                .withLockTimeout(lockTimeout)
                .withHeartbeatTimeout(Duration.ofSeconds(3));
    }

    EnvironmentSettings settings(String name, String url, String staging, org.fastdowntime.env.Budgets budgets) {
        String plain = url.replaceAll("\\?.*$", "");
        return EnvironmentSettings.builder(name, plain)
                .patches(patches)
                .staging(staging)
                .approvers(List.of("alice", "bob"))
                .signOffApprovers(List.of("francis"))
                .fragileUsers(new LinkedHashSet<>(Set.of(fragileRole)))
                .checkSql("SELECT count(*) FROM bug")
                .budgets(budgets)
                .build();
    }

    /** A second database with the same baseline, configured as the test environment's staging. */
    void addStaging(Duration perPatch) throws Exception {
        String name = db.name() + "_stg";
        try (Connection c = TestDatabase.admin();
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        extraDatabases.add(name);
        String url = db.url().replace("/" + db.name() + "?", "/" + name + "?");
        loadBaseline(url);
        environments.put("staging", settings("staging", url, null, budgets(perPatch, Duration.ofSeconds(5))));
        EnvironmentSettings t = environments.get("test");
        environments.put(
                "test",
                settings(
                        "test",
                        db.url(),
                        "staging",
                        budgets(perPatch, t.budgets().lockTimeout())));
    }

    /** The staging database's URL ({@link #addStaging}). */
    String stagingUrl() {
        return db.url().replace("/" + db.name() + "?", "/" + db.name() + "_stg?");
    }

    /**
     * Applies {@code ids} to the database at {@code url} with the patch engine, recording them and
     * their times as deployment {@code by}.
     */
    void applyTo(String url, String by, String... ids) throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            new PatchEngine(EngineSettings.defaults())
                    .applyCold(
                            c,
                            PatchFolder.scan(patches, "LaunchpadDatabaseRevision", 15),
                            java.util.Arrays.stream(ids).map(PatchId::parse).toList(),
                            new Deployment(by, "test", null, null));
        }
    }

    void setBudgets(org.fastdowntime.env.Budgets b) {
        EnvironmentSettings t = environments.get("test");
        environments.put("test", settings("test", db.url(), t.staging(), b));
    }

    void start(boolean timeSkipping) {
        env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setUseTimeskipping(timeSkipping)
                .build());
        DowntimeSearchAttributes.types().forEach(env::registerSearchAttribute);
        worker = newWorker(env.getWorkerFactory());
        env.start();
    }

    Worker newWorker(io.temporal.worker.WorkerFactory factory) {
        Worker w = factory.newWorker(QUEUE, WorkerRuntime.workerOptions());
        WorkerConfig config = new WorkerConfig(org.fastdowntime.worker.TemporalSettings.NONE, environments, monthly)
                .withAnnounce(announce)
                .withFleets(fleets);
        WorkerRuntime.register(w, Guice.createInjector(new WorkerModule(config)));
        return w;
    }

    WorkflowClient client() {
        return env.getWorkflowClient();
    }

    FastDowntimeWorkflow newWindow(String id) {
        return client().newWorkflowStub(
                        FastDowntimeWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setTaskQueue(QUEUE)
                                .setWorkflowId(id)
                                .build());
    }

    /** A stub of a window already started, for queries and signals. */
    FastDowntimeWorkflow existing(String id) {
        return client().newWorkflowStub(FastDowntimeWorkflow.class, id);
    }

    Instant now() {
        return Instant.ofEpochMilli(env.currentTimeMillis());
    }

    boolean gateOpen() throws SQLException {
        return db.gateOpen();
    }

    Connection connectAs(String role) throws SQLException {
        return DriverManager.getConnection(db.url().replace("user=postgres", "user=" + role));
    }

    long revisions() throws SQLException {
        return db.count("SELECT count(*) FROM LaunchpadDatabaseRevision");
    }

    @Override
    public void close() throws Exception {
        if (env != null) {
            env.close();
        }
        TestDatabase.drop(db.name());
        for (String extra : extraDatabases) {
            TestDatabase.drop(extra);
        }
        try (Connection c = TestDatabase.admin();
                Statement st = c.createStatement()) {
            for (String role : List.of(appRole, fragileRole)) {
                st.execute("DROP ROLE IF EXISTS " + role);
            }
        }
    }
}
