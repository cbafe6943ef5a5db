package org.fastdowntime.patch;

import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.env.Environments;
import org.fastdowntime.gate.Preflight;
import org.fastdowntime.gate.Standbys;
import org.fastdowntime.model.AppliedPatch;
import org.fastdowntime.model.ApplyReport;
import org.fastdowntime.model.Deployment;
import org.fastdowntime.model.EnvironmentPolicy;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchKind;
import org.fastdowntime.model.PatchPlan;
import org.fastdowntime.model.PatchTiming;
import org.fastdowntime.model.PreflightReport;
import org.fastdowntime.model.Problem;
import org.fastdowntime.model.ResolvedPatches;
import org.fastdowntime.model.SealedBundle;
import org.fastdowntime.model.StandbyCatchUp;
import org.fastdowntime.release.Git;
import org.fastdowntime.release.MonthlySettings;
import org.fastdowntime.report.History;
import org.fastdowntime.window.WindowClaims;

public final class DatabaseActivitiesImpl implements org.fastdowntime.ports.DatabaseActivities {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DatabaseActivitiesImpl.class);
    private final Environments environments;
    private final Map<String, MonthlySettings> repositories;

    public DatabaseActivitiesImpl(Environments environments) {
        this(environments, Map.of());
    }

    /**
     * @param repositories environments whose patches land through a git repository (the monthly
     *     settings' one)
     */
    public DatabaseActivitiesImpl(Environments environments, Map<String, MonthlySettings> repositories) {
        this.environments = environments;
        this.repositories = Map.copyOf(repositories);
    }

    @Override
    public EnvironmentPolicy loadPolicy(String environment) {
        return environments.get(environment).policy();
    }

    @Override
    public ResolvedPatches resolvePatches(String environment, List<PatchId> requested) {
        EnvironmentSettings env = environments.get(environment);
        return withConnection(env, "fastdowntime resolve", c -> {
            PatchSet set = scan(env, c);
            PatchPlan plan = new PatchEngine(env.engineSettings()).plan(c, set, Map.of());
            if (!plan.valid()) {
                throw ApplicationFailure.newNonRetryableFailure(
                        "the patch set of " + environment + " is not safe to apply: "
                                + Problem.describeAll(plan.problems()),
                        FailureType.PLAN_INVALID.name());
            }
            for (PatchId id : requested) {
                if (!plan.pendingCold().contains(id) && !plan.pendingLive().contains(id)) {
                    String why = set.find(id).isPresent() ? "already applied" : "not in " + env.patches();
                    throw ApplicationFailure.newNonRetryableFailure(
                            "patch " + id + " cannot be part of this window: it is " + why,
                            FailureType.BAD_INPUT.name());
                }
            }
            Map<PatchId, String> authors = new java.util.HashMap<>();
            Map<PatchId, Instant> landed = landings(env, c, set, plan, authors);
            // No list: every pending patch; a list: exactly those, LIVE or COLD.
            List<PatchCandidate> cold = plan.pendingCold().stream()
                    .filter(id -> requested.isEmpty() || requested.contains(id))
                    .map(id -> candidate(set.find(id).orElseThrow(), landed.get(id), authors.get(id)))
                    .toList();
            List<PatchCandidate> live = plan.pendingLive().stream()
                    .filter(id -> requested.isEmpty() || requested.contains(id))
                    .map(id -> candidate(set.find(id).orElseThrow(), landed.get(id), authors.get(id)))
                    .toList();
            return new ResolvedPatches(cold, live);
        });
    }

    @Override
    public List<PatchTiming> timeOnStaging(String environment, List<PatchId> patches) {
        EnvironmentSettings target = environments.get(environment);
        if (target.staging() == null) {
            return List.of();
        }
        EnvironmentSettings staging = environments.get(target.staging());
        Set<PatchId> production = withConnection(
                target,
                "fastdowntime staging check",
                c -> new RevisionStore(target.engineSettings().revisionTable()).appliedIds(c));
        return withConnection(staging, "fastdowntime staging timing", c -> {
            PatchSet set = StagingMatch.scan(target, staging, c);
            RevisionStore store = new RevisionStore(staging.engineSettings().revisionTable());
            Set<PatchId> onStaging = store.appliedIds(c);
            String mismatch = StagingMatch.problem(target.staging(), production, onStaging, set);
            if (mismatch != null) {
                throw ApplicationFailure.newNonRetryableFailure(mismatch, FailureType.STAGING_MISMATCH.name());
            }
            List<PatchId> toTime =
                    patches.stream().filter(id -> !onStaging.contains(id)).toList();
            Duration budget = target.budgets().perPatch();
            List<PatchTiming> timings =
                    new ArrayList<>(new PatchEngine(staging.engineSettings().withPerPatchBudget(budget))
                            .timeCold(c, set, toTime)
                            .patches());
            for (PatchId id : patches) {
                if (onStaging.contains(id)) {
                    timings.add(StagingMatch.fromHistory(c, set.find(id).orElseThrow(), budget));
                }
            }
            return timings;
        });
    }

    @Override
    public List<PatchId> followOnStaging(String environment, List<AppliedPatch> applied, String deploymentId) {
        EnvironmentSettings target = environments.get(environment);
        if (target.staging() == null || applied.isEmpty()) {
            return List.of();
        }
        EnvironmentSettings staging = environments.get(target.staging());
        return withConnection(
                staging,
                org.fastdowntime.gate.Sessions.applicationName(deploymentId),
                c -> StagingFollow.apply(c, target, staging, applied, deploymentId));
    }

    @Override
    public AppliedPatch applyLivePatch(String environment, PatchCandidate patch, String deploymentId) {
        EnvironmentSettings env = environments.get(environment);
        return org.fastdowntime.activity.Heartbeats.during(() -> applyLive(env, patch, deploymentId));
    }

    private AppliedPatch applyLive(EnvironmentSettings env, PatchCandidate patch, String deploymentId) {
        return withConnection(env, org.fastdowntime.gate.Sessions.applicationName(deploymentId), c -> {
            PatchSet set = scan(env, c);
            PatchFile f = set.find(patch.id())
                    .orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
                            patch.file() + " is no longer in the folder", FailureType.PATCH_CHANGED.name()));
            if (!f.sha256().equals(patch.sha256())) {
                throw ApplicationFailure.newNonRetryableFailure(
                        patch.file() + " changed since the window resolved it", FailureType.PATCH_CHANGED.name());
            }
            ApplyReport r = new PatchEngine(env.engineSettings())
                    .applyLive(c, set, List.of(patch.id()), new Deployment(deploymentId, "fastdowntime", null, null));
            return r.applied().isEmpty()
                    ? new AppliedPatch(patch.id(), PatchKind.LIVE, patch.sha256(), 0)
                    : r.applied().get(0);
        });
    }

    @Override
    public PreflightReport preflight(String environment) {
        EnvironmentSettings env = environments.get(environment);
        return withConnection(
                env, "fastdowntime preflight", c -> new PreflightReport(new Preflight(env).run(c, false)));
    }

    @Override
    public List<StandbyCatchUp> awaitStandbys(String environment, String lsn) {
        EnvironmentSettings env = environments.get(environment);
        try {
            return Standbys.awaitReplay(
                    env, lsn, () -> Activity.getExecutionContext().heartbeat(null));
        } catch (PatchEngineException e) {
            throw e.toFailure();
        } catch (SQLException e) {
            throw ApplicationFailure.newFailure(
                    "database error while waiting for the standbys: " + e.getMessage() + " [SQLSTATE " + e.getSQLState()
                            + "]",
                    FailureType.DATABASE_UNREACHABLE.name());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Activity.wrap(e);
        }
    }

    @Override
    public SealedBundle sealBundle(String environment, List<PatchCandidate> approved, boolean deferFailures) {
        EnvironmentSettings env = environments.get(environment);
        EnvironmentSettings staging = env.staging() == null ? null : environments.get(env.staging());
        // The folder is read once: the bundle is rehearsed and sealed from the same bytes (the outage checks them
        // again before its gate closes).
        record Read(PatchSet set, ColdBundle bundle) {}
        Read read = withConnection(env, "fastdowntime seal", c -> {
            PatchSet set = scan(env, c);
            if (!set.valid()) {
                throw ApplicationFailure.newNonRetryableFailure(
                        "the patch set of " + environment + " is not safe to apply: "
                                + Problem.describeAll(set.problems()),
                        FailureType.PLAN_INVALID.name());
            }
            Set<PatchId> recorded = new RevisionStore(env.engineSettings().revisionTable()).appliedIds(c);
            List<PatchFile> pending = new ArrayList<>();
            for (PatchCandidate p : approved) {
                PatchFile f = sealed(() -> BundleSeal.approvedFile(set, p));
                if (!recorded.contains(f.id())) {
                    pending.add(f);
                }
            }
            return new Read(set, new ColdBundle(pending, pending.isEmpty() ? List.of() : set.scripts()));
        });
        BundleRehearsal.Outcome rehearsed = read.bundle().isEmpty()
                ? new BundleRehearsal.Outcome(List.of(), "nothing to rehearse", List.of())
                : io(() -> BundleRehearsal.rehearse(env, staging, read.set(), read.bundle(), deferFailures));
        Set<PatchId> kept = rehearsed.kept().stream().map(PatchFile::id).collect(Collectors.toSet());
        List<PatchCandidate> sealed =
                approved.stream().filter(p -> kept.contains(p.id())).toList();
        return sealed(() -> BundleSeal.seal(
                read.set(), sealed, env.engineSettings().grants(), rehearsed.how(), rehearsed.deferred()));
    }

    private interface Sealing<T> {
        T run() throws BundleSeal.Broken;
    }

    /** A broken seal is a changed patch: never retried, nothing changed. */
    private static <T> T sealed(Sealing<T> step) {
        try {
            return step.run();
        } catch (BundleSeal.Broken e) {
            throw ApplicationFailure.newNonRetryableFailure(
                    e.getMessage() + "; nothing was changed", FailureType.PATCH_CHANGED.name());
        }
    }

    private interface Io<T> {
        T run() throws Exception;
    }

    /** Engine failures as typed failures, as {@link #withConnection} does for work on one connection. */
    private static <T> T io(Io<T> work) {
        try {
            return work.run();
        } catch (PatchEngineException e) {
            throw e.toFailure();
        } catch (ApplicationFailure e) {
            throw e;
        } catch (SQLException e) {
            throw ApplicationFailure.newFailure(
                    "database error: " + e.getMessage() + " [SQLSTATE " + e.getSQLState() + "]",
                    Databases.isConnectionLoss(e) ? FailureType.DATABASE_UNREACHABLE.name() : "DATABASE_ERROR");
        } catch (Exception e) {
            throw Activity.wrap(e);
        }
    }

    @Override
    public void claimEnvironment(String environment, String workflowId) {
        EnvironmentSettings env = environments.get(environment);
        io.temporal.client.WorkflowClient client =
                Activity.getExecutionContext().getWorkflowClient();
        java.util.Optional<String> holder = withConnection(
                env,
                "fastdowntime claim",
                c -> WindowClaims.claim(c, environment, workflowId, id -> WindowClaims.running(client, id)));
        if (holder.isPresent()) {
            throw ApplicationFailure.newNonRetryableFailure(
                    "another window of " + environment + " is running: " + holder.get()
                            + " (one window per environment at a time); wait for it to end or cancel it."
                            + " Nothing was changed",
                    FailureType.WINDOW_BUSY.name());
        }
    }

    @Override
    public void releaseEnvironment(String environment, String workflowId) {
        EnvironmentSettings env = environments.get(environment);
        withConnection(env, "fastdowntime claim", c -> {
            WindowClaims.release(c, environment, workflowId);
            return null;
        });
    }

    @Override
    public List<PatchId> appliedBy(String environment, String deploymentId) {
        EnvironmentSettings env = environments.get(environment);
        return withConnection(
                env,
                "fastdowntime applied-by",
                c -> new org.fastdowntime.patch.RevisionStore(
                                env.engineSettings().revisionTable())
                        .appliedBy(c, deploymentId));
    }

    private static PatchCandidate candidate(PatchFile f, Instant landedAt, String author) {
        return new PatchCandidate(f.id(), f.fileName(), f.sha256(), f.kind(), landedAt, author);
    }

    /**
     * When each pending patch landed, for lead times: git's time of the commit that added the file
     * when the environment has a repository (its author goes to {@code authors}), else the first time
     * a window saw it pending. Kept in the database; a failure here costs the figures, never the
     * window.
     */
    private Map<PatchId, Instant> landings(
            EnvironmentSettings env, Connection c, PatchSet set, PatchPlan plan, Map<PatchId, String> authors) {
        List<PatchId> pending = new ArrayList<>(plan.pendingCold());
        pending.addAll(plan.pendingLive());
        Map<PatchId, Instant> fromGit = new java.util.HashMap<>();
        MonthlySettings repo = repositories.get(env.name());
        if (repo != null) {
            Git git = new Git(repo.repository());
            for (PatchId id : pending) {
                String path =
                        repo.patchesPath() + "/" + set.find(id).orElseThrow().fileName();
                try {
                    // The commit that added the file: when it landed, and who wrote it (who may then not QA
                    // it).
                    String t = git.run(
                                    "log",
                                    "-1",
                                    "--diff-filter=A",
                                    "--format=%cI%x00%an <%ae>",
                                    repo.develBranch(),
                                    "--",
                                    path)
                            .strip();
                    if (!t.isEmpty()) {
                        String[] parts = t.split("\u0000", 2);
                        fromGit.put(id, java.time.OffsetDateTime.parse(parts[0]).toInstant());
                        if (parts.length > 1) {
                            authors.put(id, parts[1]);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    log.warn("No landing time from git for {}: {}", path, e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            c.setAutoCommit(true);
            c.setReadOnly(false);
            return History.recordLandings(c, pending, fromGit);
        } catch (SQLException e) {
            log.warn("Could not record landing times in {}: {}", History.LANDINGS, e.getMessage());
            return fromGit;
        }
    }

    private static PatchSet scan(EnvironmentSettings env, Connection c) throws SQLException, IOException {
        return EnvironmentApply.scan(env, c);
    }

    private interface Work<T> {
        T run(Connection c) throws Exception;
    }

    /**
     * Runs {@code work} on a fresh connection; engine failures become typed, non-retryable failures.
     */
    private static <T> T withConnection(EnvironmentSettings env, String app, Work<T> work) {
        return io(() -> {
            try (Connection c = Environments.connect(env, app)) {
                return work.run(c);
            }
        });
    }
}
