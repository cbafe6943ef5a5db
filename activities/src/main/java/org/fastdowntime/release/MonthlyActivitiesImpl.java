package org.fastdowntime.release;

import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.env.Environments;
import org.fastdowntime.model.AppliedPatch;
import org.fastdowntime.model.ApplyReport;
import org.fastdowntime.model.Deployment;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.model.MonthlyPolicy;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchKind;
import org.fastdowntime.model.PatchTiming;
import org.fastdowntime.model.RevisionInfo;
import org.fastdowntime.patch.Databases;
import org.fastdowntime.patch.PatchEngine;
import org.fastdowntime.patch.PatchEngineException;
import org.fastdowntime.patch.PatchFolder;
import org.fastdowntime.patch.PatchSet;
import org.fastdowntime.patch.RevisionStore;
import org.fastdowntime.patch.StagingMatch;
import org.fastdowntime.ports.MonthlyActivities;

public final class MonthlyActivitiesImpl implements MonthlyActivities {
    private static final Pattern PATCH_FILE =
            Pattern.compile("(^|.*/)patch-\\d{4}-\\d{2}-\\d\\.sql", Pattern.CASE_INSENSITIVE);

    private final Environments environments;
    private final Map<String, MonthlySettings> monthly;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public MonthlyActivitiesImpl(Environments environments, Map<String, MonthlySettings> monthly) {
        this.environments = environments;
        this.monthly = monthly;
    }

    private MonthlySettings settings(String environment) {
        environments.get(environment);
        MonthlySettings m = monthly.get(environment);
        if (m == null) {
            throw ApplicationFailure.newNonRetryableFailure(
                    "environment '" + environment + "' has no monthly section in" + " the worker config",
                    FailureType.BAD_INPUT.name());
        }
        return m;
    }

    @Override
    public MonthlyPolicy loadMonthlyPolicy(String environment) {
        MonthlySettings m = settings(environment);
        MonthlySettings.Timing t = m.timing();
        return new MonthlyPolicy(
                environment,
                m.parties(),
                m.leads(),
                t.minNotice(),
                t.confirmLead(),
                t.reminderLead(),
                t.servicesPauseLead(),
                t.mergeLead(),
                t.windowLength(),
                t.estimateOverhead(),
                t.offTrackLimit(),
                t.backupNotice(),
                t.postRolloutWatch(),
                m.ciStatusUrl() != null,
                t.ciPollInterval(),
                environments.get(environment).policy());
    }

    @Override
    public List<RevisionInfo> pendingRevisions(String environment, String dbStable) {
        MonthlySettings m = settings(environment);
        Git git = new Git(m.repository());
        return io(() -> {
            String source = dbStable == null || dbStable.isBlank() ? m.dbStableBranch() : dbStable;
            git.resolve(source);
            List<RevisionInfo> out = new ArrayList<>();
            for (String sha : git.run("rev-list", "--reverse", "--topo-order", m.develBranch() + ".." + source)
                    .split("\n")) {
                if (sha.isBlank()) {
                    continue;
                }
                String[] meta = git.run("log", "-1", "--format=%H%x1f%an <%ae>%x1f%s", sha)
                        .strip()
                        .split("\u001f", 3);
                List<String> patches = new ArrayList<>();
                for (String f : git.run(
                                "diff-tree",
                                "--no-commit-id",
                                "--name-only",
                                "-r",
                                "-m",
                                "--first-parent",
                                sha,
                                "--",
                                m.patchesPath())
                        .split("\n")) {
                    if (PATCH_FILE.matcher(f.strip()).matches()) {
                        patches.add(f.strip());
                    }
                }
                out.add(new RevisionInfo(
                        meta[0], meta.length > 2 ? meta[2] : "", meta.length > 1 ? meta[1] : "", patches));
            }
            return out;
        });
    }

    @Override
    public List<PatchTiming> timeRevision(String environment, String revision) {
        MonthlySettings m = settings(environment);
        EnvironmentSettings target = environments.get(environment);
        if (target.staging() == null) {
            throw ApplicationFailure.newNonRetryableFailure(
                    "environment '" + environment + "' names no staging environment" + " to time the merge on",
                    FailureType.BAD_INPUT.name());
        }
        EnvironmentSettings staging = environments.get(target.staging());
        return io(() -> {
            try (ExportedTree tree = ExportedTree.of(new Git(m.repository()), revision, m.patchesPath());
                    Connection c = Environments.connect(staging, "fastdowntime monthly timing")) {
                PatchSet set = PatchFolder.scan(
                        tree.folder(),
                        staging.engineSettings()
                                .withFollowUps(
                                        target.engineSettings().repeatableScripts(),
                                        staging.engineSettings().grants()),
                        Databases.serverVersionNum(c) / 10000);
                String mismatch = StagingMatch.problem(
                        target.staging(),
                        applied(target),
                        new RevisionStore(staging.engineSettings().revisionTable()).appliedIds(c),
                        set);
                if (mismatch != null) {
                    throw ApplicationFailure.newNonRetryableFailure(mismatch, FailureType.STAGING_MISMATCH.name());
                }
                PatchEngine engine = new PatchEngine(staging.engineSettings()
                        .withPerPatchBudget(target.budgets().perPatch()));
                return engine.timeCold(c, set, engine.pending(c, set, PatchKind.COLD))
                        .patches();
            }
        });
    }

    @Override
    public String mergeAndEnterRc(String environment, String revision, String workflowId) {
        MonthlySettings m = settings(environment);
        Git git = new Git(m.repository());
        return io(() -> {
            git.run("checkout", "-q", m.develBranch());
            if (!git.isAncestor(revision, m.develBranch())) {
                String[] who = committer(m);
                git.run(
                        "-c",
                        "user.name=" + who[0],
                        "-c",
                        "user.email=" + who[1],
                        "merge",
                        "--no-ff",
                        "--no-edit",
                        "-m",
                        "Merge db-stable " + revision.substring(0, Math.min(12, revision.length())) + ".",
                        revision);
            }
            new RcState(true, m.develBranch(), workflowId, revision, Instant.now(), List.of()).write(stateFile(m, git));
            return git.resolve("HEAD");
        });
    }

    @Override
    public List<PatchCandidate> mergedPatches(String environment, String commit) {
        MonthlySettings m = settings(environment);
        EnvironmentSettings target = environments.get(environment);
        return io(() -> {
            try (ExportedTree tree = ExportedTree.of(new Git(m.repository()), commit, m.patchesPath());
                    Connection c = Environments.connect(target, "fastdowntime merged patches")) {
                String table = target.engineSettings().revisionTable();
                PatchSet merged = PatchFolder.scan(tree.folder(), table, Databases.serverVersionNum(c) / 10000);
                Set<PatchId> applied = new RevisionStore(table).appliedIds(c);
                return merged.patches().stream()
                        .filter(p -> !applied.contains(p.id()))
                        .map(p -> new PatchCandidate(p.id(), p.fileName(), p.sha256(), p.kind()))
                        .toList();
            }
        });
    }

    @Override
    public String backOut(String environment, List<String> revisions, String why, String token) {
        MonthlySettings m = settings(environment);
        Git git = new Git(m.repository());
        return io(() -> {
            git.run("checkout", "-q", m.develBranch());
            String done = git.run("log", "-1", "--format=%H", "--fixed-strings", "--grep=" + token, m.develBranch())
                    .strip();
            if (!done.isEmpty()) {
                return done; // carried out before this attempt: the same revert, not a second one
            }
            try {
                for (String sha : revisions) {
                    boolean merge = git.run("rev-list", "--parents", "-n", "1", sha)
                                    .strip()
                                    .split(" ")
                                    .length
                            > 2;
                    if (merge) {
                        git.run("revert", "--no-commit", "-m", "1", sha);
                    } else {
                        git.run("revert", "--no-commit", sha);
                    }
                }
            } catch (IOException e) {
                git.run("reset", "-q", "--hard", "HEAD");
                throw ApplicationFailure.newNonRetryableFailure(
                        "the back-out does not revert cleanly in " + m.develBranch() + ": " + e.getMessage(),
                        "BACK_OUT_CONFLICT");
            }
            String[] who = committer(m);
            String first = revisions.get(revisions.size() - 1);
            String range = shortSha(first) + (revisions.size() > 1 ? ".." + shortSha(revisions.get(0)) : "");
            // RC mode's rule: the tag at the start of the subject lets the revert land while devel is guarded.
            String tag = why.replaceAll("[\\]\\s]+", " ").strip();
            git.run(
                    "-c",
                    "user.name=" + who[0],
                    "-c",
                    "user.email=" + who[1],
                    "commit",
                    "-q",
                    "--allow-empty",
                    "-m",
                    "[release-critical=" + tag + "] Back out db-stable " + range + ".",
                    "-m",
                    "Back-out: " + token);
            return git.resolve("HEAD");
        });
    }

    private static String shortSha(String sha) {
        return sha.substring(0, Math.min(12, sha.length()));
    }

    @Override
    public void approveLanding(String environment, String commit) {
        MonthlySettings m = settings(environment);
        io(() -> {
            Path file = stateFile(m, new Git(m.repository()));
            RcState.read(file, m.develBranch()).approve(commit).write(file);
            return null;
        });
    }

    @Override
    public void leaveRc(String environment) {
        MonthlySettings m = settings(environment);
        io(() -> {
            RcState.off(m.develBranch()).write(stateFile(m, new Git(m.repository())));
            return null;
        });
    }

    @Override
    public boolean ciPassed(String environment, String revision) {
        MonthlySettings m = settings(environment);
        if (m.ciStatusUrl() == null) {
            return false;
        }
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(m.ciStatusUrl().replace("{revision}", revision)))
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() / 100 == 2
                    && r.body().toLowerCase(Locale.ROOT).contains("success");
        } catch (IOException e) {
            return false; // CI unreachable: not blessed yet, asked again at the next poll
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public List<String> upgradeQastaging(String environment) {
        MonthlySettings m = settings(environment);
        if (m.qastaging() == null) {
            return List.of("no qastaging environment configured: nothing upgraded");
        }
        EnvironmentSettings qa = environments.get(m.qastaging());
        return io(() -> {
            List<String> out = new ArrayList<>();
            Deployment who = new Deployment("qastaging-upgrade", "fastdowntime", m.develBranch(), null);
            PatchEngine engine = new PatchEngine(qa.engineSettings());
            try (Connection c = Environments.connect(qa, "fastdowntime qastaging upgrade")) {
                PatchSet set =
                        PatchFolder.scan(qa.patches(), qa.engineSettings(), Databases.serverVersionNum(c) / 10000);
                // qastaging follows devel: every pending patch of its folder, named.
                ApplyReport live = engine.applyLive(c, set, engine.pending(c, set, PatchKind.LIVE), who);
                ApplyReport cold = engine.applyCold(c, set, engine.pending(c, set, PatchKind.COLD), who);
                for (AppliedPatch a : live.applied()) {
                    out.add(String.format(
                            Locale.ROOT, "%s applied live on qastaging in %.1f seconds", a.id(), a.seconds()));
                }
                for (AppliedPatch a : cold.applied()) {
                    out.add(String.format(Locale.ROOT, "%s applied on qastaging in %.1f seconds", a.id(), a.seconds()));
                }
                if (out.isEmpty()) {
                    out.add("qastaging already had every patch");
                }
            }
            return out;
        });
    }

    private static Set<PatchId> applied(EnvironmentSettings env) throws SQLException, PatchEngineException {
        try (Connection c = Environments.connect(env, "fastdowntime staging check")) {
            return new RevisionStore(env.engineSettings().revisionTable()).appliedIds(c);
        }
    }

    static Path stateFile(MonthlySettings m, Git git) throws IOException, InterruptedException {
        return m.rcStateFile() != null ? m.rcStateFile() : git.gitDir().resolve(RcState.FILE);
    }

    private static String[] committer(MonthlySettings m) {
        String c = m.committer() == null ? "fastdowntime <fastdowntime@localhost>" : m.committer();
        int lt = c.indexOf('<');
        return lt < 0
                ? new String[] {c.strip(), "fastdowntime@localhost"}
                : new String[] {
                    c.substring(0, lt).strip(),
                    c.substring(lt + 1, c.indexOf('>', lt)).strip()
                };
    }

    private interface Io<T> {
        T run() throws Exception;
    }

    private static <T> T io(Io<T> work) {
        try {
            return work.run();
        } catch (ApplicationFailure e) {
            throw e;
        } catch (PatchEngineException e) {
            throw e.toFailure();
        } catch (IOException e) {
            throw ApplicationFailure.newFailure(e.getMessage(), "GIT_FAILED");
        } catch (Exception e) {
            throw ApplicationFailure.newFailure(
                    String.valueOf(e.getMessage()), e.getClass().getSimpleName());
        }
    }
}
