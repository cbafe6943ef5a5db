package org.fastdowntime.sandbox;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.fastdowntime.cli.CommandFailure;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.model.FastDowntimeRequest;
import org.fastdowntime.model.FastDowntimeResult;
import org.fastdowntime.model.FastDowntimeStatus;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.model.QaSignal;
import org.fastdowntime.patch.EngineSettings;
import org.fastdowntime.patch.PatchEngine;
import org.fastdowntime.patch.PatchFolder;
import org.fastdowntime.patch.PatchSet;
import org.fastdowntime.time.Clock;
import org.fastdowntime.worker.DevServer;
import org.fastdowntime.worker.WorkerRuntime;
import org.fastdowntime.worker.config.WorkerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "A real fast-downtime window on a throwaway database: builds it from the patch folder's"
                    + " baseline, starts the embedded Temporal service and a worker, runs application clients"
                    + " against it, starts a FastDowntime a few seconds ahead, approves its patches by signal"
                    + " as QA would, and reports what happened.",
            "Cleans up after itself. Exits 0 only if the window succeeded."
        })
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--patches", paramLabel = "DIR", description = "Patch folder (default: the project's patches/).")
    Path patches;

    @Option(names = "--clients", defaultValue = "8", description = "Application clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(
            names = "--lead",
            defaultValue = "6s",
            paramLabel = "DURATION",
            description = "How far ahead the window starts (default: ${DEFAULT-VALUE}).")
    String lead;

    @picocli.CommandLine.Mixin
    PostgresOption postgres = new PostgresOption();

    @Option(
            names = "--embedded",
            description = "Run on the embedded in-memory Temporal service, even when the temporal CLI is installed.")
    boolean embedded;

    @Option(
            names = "--keep-ui",
            paramLabel = "DURATION",
            description = "How long the real server and its Web UI stay up after the window (default: until Enter"
                    + " when run from a terminal, else 0s).")
    String keepUi;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path folder =
                patches != null ? patches : Path.of(System.getenv().getOrDefault("FASTDOWNTIME_HOME", "."), "patches");
        if (!Files.isDirectory(folder)) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "no patch folder " + folder + " (use --patches DIR)");
        }
        Duration leadTime = org.fastdowntime.time.Durations.parse(lead);
        // The demo prints the window's own timeline at the end; the worker's log would say it all
        // twice.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        try (ScratchDatabase db = ScratchDatabase.create("fdt_demo", folder, postgres.source(), out)) {
            return runWindow(out, folder, db.name, db.url, db.appRole, leadTime);
        }
    }

    private int runWindow(
            PrintWriter out, Path folder, String database, String dbUrl, String appRole, Duration leadTime)
            throws Exception {
        WorkerConfig config = new WorkerConfig(
                org.fastdowntime.worker.TemporalSettings.of(null, "default", QUEUE),
                Map.of("demo", environment(folder, dbUrl, leadTime)));

        java.util.Optional<Path> cli = embedded ? java.util.Optional.empty() : TemporalCli.find();
        TemporalCli real = cli.isPresent() ? TemporalCli.start(cli.get(), true, null) : null;
        DevServer server = real == null ? DevServer.start(0) : null;
        String target = real != null ? real.target() : server.target();
        WorkerRuntime worker = WorkerRuntime.start(config, target, "default", QUEUE, server);
        LoadClients traffic = new LoadClients(dbUrl.replace("user=postgres", "user=" + appRole), clients);
        try {
            out.printf(
                    "Database %s (baseline of %s), %d application clients as %s%n", database, folder, clients, appRole);
            out.println("Temporal: "
                    + (real != null
                            ? "temporal server start-dev on " + target + ", Web UI " + real.ui()
                            : (embedded
                                            ? "the embedded in-memory service (--embedded)"
                                            : "no temporal CLI found (scripts/setup-machine installs it), so the embedded"
                                                    + " in-memory service")
                                    + " on " + target));
            traffic.start();
            String id = "fast-downtime-demo-" + database;
            FastDowntimeWorkflow window = startAndApprove(out, target, id, pending(plan(dbUrl, folder)), leadTime);

            return finish(out, window, id, leadTime, traffic, real);
        } finally {
            traffic.close();
            worker.shutdown(Duration.ofSeconds(10));
            if (real != null) {
                real.close();
            }
        }
    }

    /**
     * The demo's environment: Launchpad's hour of QA and quiesce lead compressed into seconds; everything else as
     * in production.
     */
    private static EnvironmentSettings environment(Path folder, String dbUrl, Duration leadTime) {
        org.fastdowntime.env.Budgets budgets = org.fastdowntime.env.Budgets.defaults()
                .withLeads(leadTime.dividedBy(2), leadTime.dividedBy(3), leadTime.dividedBy(4), Duration.ofSeconds(1))
                .withHeartbeatTimeout(Duration.ofSeconds(3));
        return EnvironmentSettings.builder("demo", dbUrl.replaceAll("\\?.*$", ""))
                .patches(folder.toAbsolutePath())
                .approvers(List.of("qa-alice"))
                .signOffApprovers(List.of("rm-francis"))
                .checkSql("SELECT count(*) FROM bug")
                .budgets(budgets)
                .build();
    }

    /** Waits for the window's end, then prints its timeline, the clients' view and the result. */
    private int finish(
            PrintWriter out,
            FastDowntimeWorkflow window,
            String id,
            Duration leadTime,
            LoadClients traffic,
            TemporalCli real)
            throws Exception {
        FastDowntimeResult result = null;
        String failure = null;
        try {
            result = WorkflowStub.fromTyped(window)
                    .getResult(leadTime.toSeconds() + 60, TimeUnit.SECONDS, FastDowntimeResult.class);
        } catch (WorkflowFailedException e) {
            failure = e.getCause() instanceof ApplicationFailure af
                    ? af.getType() + ": " + af.getOriginalMessage()
                    : String.valueOf(e.getCause());
        }
        FastDowntimeStatus status = window.status();
        Thread.sleep(500); // let the clients reconnect and show it
        traffic.stop();
        out.println();
        out.print(timeline(id, status));
        out.println();
        report(out, status, traffic);
        out.println(
                result != null
                        ? "Result: " + result.outcome() + " - " + result.message()
                        : "Result: FAILED - " + failure);
        if (real != null) {
            out.println("UI: " + real.uiLink(id));
        }
        out.flush();
        if (real != null) {
            keepUiUp(out);
        }
        return result != null && result.outcome() == org.fastdowntime.model.Outcome.COMPLETED
                ? 0
                : ProblemType.WINDOW_FAILED.exitCode();
    }

    /** Keeps the real server (and its UI) up so a person can look: until Enter, or for --keep-ui. */
    private void keepUiUp(PrintWriter out) throws Exception {
        if (keepUi == null && System.console() != null) {
            out.println("Press Enter to stop the Temporal server and its UI.");
            out.flush();
            System.console().reader().read();
            return;
        }
        Duration d = keepUi == null ? Duration.ZERO : org.fastdowntime.time.Durations.parse(keepUi);
        if (!d.isZero()) {
            out.printf("The Temporal server and its UI stay up for %s.%n", keepUi);
            out.flush();
            Thread.sleep(d.toMillis());
        }
    }

    private static final String QUEUE = "fastdowntime-demo";

    /** Starts the window {@code lead} ahead and approves its patches by signal, as a QA engineer would. */
    private static FastDowntimeWorkflow startAndApprove(
            PrintWriter out, String target, String id, List<PatchId> pending, Duration lead) {
        WorkflowClient client =
                WorkflowClient.newInstance(io.temporal.serviceclient.WorkflowServiceStubs.newServiceStubs(
                        io.temporal.serviceclient.WorkflowServiceStubsOptions.newBuilder()
                                .setTarget(target)
                                .build()));
        Instant start = Instant.now().plus(lead);
        FastDowntimeWorkflow window = client.newWorkflowStub(
                FastDowntimeWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setTaskQueue(QUEUE)
                        .setWorkflowId(id)
                        .setStaticSummary("Demo fast downtime")
                        .build());
        WorkflowClient.start(window::run, new FastDowntimeRequest("demo", start.toString(), List.of()));
        out.printf("Started %s: window at %s (in %d s)%n", id, start, lead.toSeconds());
        for (PatchId p : pending) {
            window.qaOk(new QaSignal(p.toString(), "qa-alice", "checked on qastaging", null));
        }
        out.printf("QA engineer qa-alice approved %s by signal%n", pending);
        out.flush();
        return window;
    }

    /** The outage's figures and what the clients saw around it. */
    private static void report(PrintWriter out, FastDowntimeStatus status, LoadClients traffic) {
        LoadClients.Window around = status.outage() == null
                ? traffic.window(0, Long.MAX_VALUE)
                : traffic.window(
                        Nanos.of(status.outage().gateClosedAt()) - 1_000_000_000L,
                        Nanos.of(status.outage().gateOpenedAt()) + 1_000_000_000L);
        if (status.outage() != null) {
            double outage = status.outage().outageMillis() / 1000.0;
            out.printf(
                    Locale.ROOT,
                    "Outage: %s (gate closed -> open); patches %.3f s; overhead %.3f s%n",
                    Clock.format(Duration.ofMillis(status.outage().outageMillis())),
                    status.outage().patchSeconds(),
                    outage - status.outage().patchSeconds());
        }
        out.printf(
                Locale.ROOT,
                "Clients: %d transactions, %d failed (%d around the outage: sessions terminated by the"
                        + " kick, reconnected after it), longest stall %.2f s%n",
                traffic.attempted(),
                traffic.failed(),
                around.failed(),
                around.longestStallMillis() / 1000);
    }

    /**
     * The window on one screen: its end, then each event at its time of day (the worker's own log is
     * quiet here).
     */
    static String timeline(String id, FastDowntimeStatus s) {
        StringBuilder b = new StringBuilder();
        b.append(id).append(": ").append(s.stage()).append('\n');
        java.time.format.DateTimeFormatter time =
                java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(java.time.ZoneOffset.UTC);
        for (org.fastdowntime.model.TimelineEvent e : s.timeline()) {
            b.append("  ")
                    .append(time.format(e.at()))
                    .append(' ')
                    .append(e.shown())
                    .append('\n');
        }
        return b.toString();
    }

    public static void createRole(String adminUrl, String role) throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl);
                Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + role + " LOGIN");
        }
    }

    /** A database built from the folder's baseline, usable by {@code role} (which must exist). */
    public static void createDatabase(String adminUrl, String dbUrl, String database, String role, Path folder)
            throws Exception {
        try (Connection c = DriverManager.getConnection(adminUrl);
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
            st.execute("GRANT CONNECT ON DATABASE " + database + " TO " + role);
        }
        try (Connection c = DriverManager.getConnection(dbUrl)) {
            PatchSet set = PatchFolder.scan(folder, EngineSettings.DEFAULT_REVISION_TABLE, 15);
            new PatchEngine(EngineSettings.defaults()).loadBaseline(c, set);
            try (Statement st = c.createStatement()) {
                st.execute("GRANT USAGE ON SCHEMA public TO " + role);
                st.execute("GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO " + role);
                st.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO " + role);
                st.execute(
                        "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE ON TABLES TO " + role);
            }
        }
    }

    /** QA approves both kinds: LIVE (applied before the outage) and COLD. */
    private static List<PatchId> pending(org.fastdowntime.model.PatchPlan plan) {
        List<PatchId> pending = new java.util.ArrayList<>(plan.pendingLive());
        pending.addAll(plan.pendingCold());
        return pending;
    }

    /** The patch folder against the database: what is pending, LIVE and COLD. */
    public static org.fastdowntime.model.PatchPlan plan(String dbUrl, Path folder) throws Exception {
        try (Connection c = DriverManager.getConnection(dbUrl)) {
            PatchSet set = PatchFolder.scan(folder, EngineSettings.DEFAULT_REVISION_TABLE, 15);
            return new PatchEngine(EngineSettings.defaults()).plan(c, set, Map.of());
        }
    }
}
