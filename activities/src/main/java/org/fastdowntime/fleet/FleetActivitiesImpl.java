package org.fastdowntime.fleet;

import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.env.Environments;
import org.fastdowntime.env.FleetSettings;
import org.fastdowntime.gate.Preflight;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.FleetPlan;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchKind;
import org.fastdowntime.model.PreflightReport;
import org.fastdowntime.model.Problem;
import org.fastdowntime.patch.Databases;
import org.fastdowntime.patch.PatchEngineException;
import org.fastdowntime.patch.PatchFile;
import org.fastdowntime.patch.PatchFolder;
import org.fastdowntime.patch.PatchSet;
import org.fastdowntime.patch.RevisionStore;
import org.fastdowntime.patch.TwoPhase;
import org.fastdowntime.ports.FleetActivities;

public final class FleetActivitiesImpl implements FleetActivities {
    /** Members read at once during a survey: one short query each. */
    private static final int SURVEY_THREADS = 8;

    private final Environments environments;

    public FleetActivitiesImpl(Environments environments) {
        this.environments = environments;
    }

    /**
     * The shared folder is read once; each member answers one query (its recorded patches), {@value
     * #SURVEY_THREADS} at a time, heartbeating as they come.
     */
    @Override
    public FleetPlan survey(String fleet) {
        FleetSettings f = environments.fleets().get(fleet);
        List<EnvironmentSettings> members = environments.fleets().members(fleet);
        if (members.isEmpty()) {
            throw ApplicationFailure.newNonRetryableFailure(
                    "fleet " + fleet + " has no members", FailureType.PLAN_INVALID.name());
        }
        EnvironmentSettings shared = environments.get(f.environment());
        PatchSet set = folder(shared);
        List<PatchFile> cold =
                set.patches().stream().filter(p -> p.kind() == PatchKind.COLD).toList();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(SURVEY_THREADS, members.size()));
        try {
            List<Future<List<PatchId>>> pending = new ArrayList<>();
            for (EnvironmentSettings m : members) {
                pending.add(pool.submit(() -> pending(m, cold)));
            }
            List<FleetPlan.Member> out = new ArrayList<>();
            Set<PatchId> union = new LinkedHashSet<>();
            for (int i = 0; i < members.size(); i++) {
                EnvironmentSettings m = members.get(i);
                List<PatchId> ids = get(pending.get(i), m);
                union.addAll(ids);
                String name = m.name().substring(fleet.length() + 1);
                out.add(new FleetPlan.Member(name, m.name(), f.canary().contains(name), ids));
                Activity.getExecutionContext().heartbeat(i);
            }
            List<PatchCandidate> candidates = cold.stream()
                    .filter(p -> union.contains(p.id()))
                    .map(p -> new PatchCandidate(p.id(), p.fileName(), p.sha256(), PatchKind.COLD))
                    .toList();
            return new FleetPlan(fleet, f.environment(), f.mode(), f.parallelism(), f.failurePolicy(), out, candidates);
        } finally {
            pool.shutdownNow();
        }
    }

    private static PatchSet folder(EnvironmentSettings shared) {
        try (Connection c = Environments.connect(shared, "fastdowntime survey")) {
            PatchSet set =
                    PatchFolder.scan(shared.patches(), shared.engineSettings(), Databases.serverVersionNum(c) / 10000);
            if (!set.valid()) {
                throw ApplicationFailure.newNonRetryableFailure(
                        "the patch set of " + shared.name() + " is not safe to apply: "
                                + Problem.describeAll(set.problems()),
                        FailureType.PLAN_INVALID.name());
            }
            return set;
        } catch (java.io.IOException e) {
            throw ApplicationFailure.newNonRetryableFailure(
                    "cannot read " + shared.patches() + ": " + e.getMessage(), FailureType.PLAN_INVALID.name());
        } catch (SQLException | PatchEngineException e) {
            throw ApplicationFailure.newFailure(
                    shared.name() + " cannot be read: " + e.getMessage(), FailureType.DATABASE_UNREACHABLE.name());
        }
    }

    private static List<PatchId> pending(EnvironmentSettings m, List<PatchFile> cold)
            throws SQLException, PatchEngineException {
        try (Connection c = Environments.connect(m, "fastdowntime survey")) {
            Set<PatchId> applied = new RevisionStore(m.engineSettings().revisionTable()).appliedIds(c);
            return cold.stream()
                    .map(PatchFile::id)
                    .filter(id -> !applied.contains(id))
                    .toList();
        }
    }

    private static List<PatchId> get(Future<List<PatchId>> f, EnvironmentSettings m) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Activity.wrap(e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            String why = cause instanceof SQLException s
                    ? s.getMessage() + " [SQLSTATE " + s.getSQLState() + "]"
                    : cause.getMessage();
            throw ApplicationFailure.newFailure(
                    "member " + m.name() + " cannot be read: " + why,
                    cause instanceof SQLException s && Databases.isConnectionLoss(s)
                            ? FailureType.DATABASE_UNREACHABLE.name()
                            : FailureType.PLAN_INVALID.name());
        }
    }

    @Override
    public PreflightReport preflightMember(String environment, boolean atomic) {
        EnvironmentSettings env = environments.get(environment);
        try (Connection c = Environments.connect(env, "fastdowntime preflight")) {
            List<String> passed = new ArrayList<>(new Preflight(env).run(c, false));
            if (atomic) {
                passed.add(twoPhase(c, env));
            }
            return new PreflightReport(passed);
        } catch (PatchEngineException e) {
            throw e.toFailure();
        } catch (SQLException e) {
            throw ApplicationFailure.newFailure(
                    environment + ": database error: " + e.getMessage() + " [SQLSTATE " + e.getSQLState() + "]",
                    Databases.isConnectionLoss(e) ? FailureType.DATABASE_UNREACHABLE.name() : "DATABASE_ERROR");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Activity.wrap(e);
        }
    }

    /** What an atomic window needs of a member: prepared transactions allowed, and none of ours left behind. */
    private static String twoPhase(Connection c, EnvironmentSettings env) throws SQLException {
        int max = TwoPhase.maxPrepared(c);
        if (max < 1) {
            throw ApplicationFailure.newNonRetryableFailure(
                    env.name() + ": max_prepared_transactions is 0, so PREPARE TRANSACTION is refused; an atomic"
                            + " fleet window needs it above 0 on every member's server (a restart sets it)",
                    FailureType.PREFLIGHT_FAILED.name());
        }
        List<String> left = TwoPhase.leftovers(c);
        if (!left.isEmpty()) {
            throw ApplicationFailure.newNonRetryableFailure(
                    env.name() + ": prepared transaction(s) left by an earlier window: " + String.join(", ", left)
                            + "; finish them (COMMIT PREPARED or ROLLBACK PREPARED) before another window",
                    FailureType.PREFLIGHT_FAILED.name());
        }
        return "max_prepared_transactions = " + max + "; no prepared transaction left behind";
    }
}
