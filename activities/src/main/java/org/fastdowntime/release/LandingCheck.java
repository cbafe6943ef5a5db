package org.fastdowntime.release;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The RC-mode gate of the devel branch, run as a git pre-receive or update hook. While RC mode is
 * on, every commit a push would add to devel must carry {@code [release-critical=<reason>]} at the
 * very start of its subject line, or have been approved by a lead ({@code approveLanding}). Every
 * new commit is checked, not just the tip, so a tag on a merge cannot carry untagged commits in; a
 * tag elsewhere in the message, an empty reason or a near miss ({@code [Release-Critical=…]}, no
 * closing bracket) does not count.
 *
 * <p>Optionally, whether or not RC mode is on, the seeds' "no more changes to both DB code and
 * Python code at the same time": a push to any branch whose new commits, taken together, touch both
 * a database folder and anything outside it is refused with the paths of each side. Off unless the
 * database folders are given.
 */
public final class LandingCheck {
    private static final String ZERO = "0000000000000000000000000000000000000000";
    static final Pattern TAG = Pattern.compile("^\\[release-critical=([^\\]\\s][^\\]]*)\\]");

    /** One ref update of a push. */
    public record Update(String ref, String oldSha, String newSha) {}

    /** The verdict: accepted, or the reasons each offending commit is refused. */
    public record Verdict(boolean accepted, List<String> reasons) {}

    private final Git git;
    private final RcState state;
    private final List<String> databasePaths;

    public LandingCheck(Git git, RcState state) {
        this(git, state, List.of());
    }

    /**
     * @param databasePaths folders (relative to the repository's root) holding database code; when not
     *     empty, a push may not change both them and anything else
     */
    public LandingCheck(Git git, RcState state, List<String> databasePaths) {
        this.git = git;
        this.state = state;
        this.databasePaths = databasePaths.stream()
                .map(p -> p.replaceAll("^/+|/+$", ""))
                .filter(p -> !p.isEmpty())
                .toList();
    }

    /** Reads pre-receive input: one "old new ref" line per updated ref. */
    public static List<Update> parsePreReceive(String stdin) {
        List<Update> out = new ArrayList<>();
        for (String line : stdin.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3) {
                out.add(new Update(f[2], f[0], f[1]));
            }
        }
        return out;
    }

    public Verdict check(List<Update> updates) throws IOException, InterruptedException {
        List<String> reasons = new ArrayList<>();
        if (!databasePaths.isEmpty()) {
            for (Update u : updates) {
                if (u.ref().startsWith("refs/heads/") && !u.newSha().equals(ZERO)) {
                    String mixed = mixedChanges(u);
                    if (mixed != null) {
                        reasons.add(mixed);
                    }
                }
            }
        }
        if (state.rcMode()) {
            rcMode(updates, reasons);
        }
        return new Verdict(reasons.isEmpty(), reasons);
    }

    /** Why the push's new commits on {@code u}'s branch change both database code and other files, or null. */
    private String mixedChanges(Update u) throws IOException, InterruptedException {
        TreeSet<String> database = new TreeSet<>();
        TreeSet<String> other = new TreeSet<>();
        String list = git.run("rev-list", "--no-merges", u.newSha(), "--not", "--all");
        for (String sha : list.split("\n")) {
            if (sha.isBlank()) {
                continue;
            }
            String files = git.run("diff-tree", "--no-commit-id", "--name-only", "-r", "--root", sha);
            for (String f : files.split("\n")) {
                if (!f.isBlank()) {
                    (isDatabase(f.strip()) ? database : other).add(f.strip());
                }
            }
        }
        if (database.isEmpty() || other.isEmpty()) {
            return null;
        }
        String branch = u.ref().substring("refs/heads/".length());
        return "the push to " + branch + " changes database code and other code together; land them in separate"
                + " branches. Database: " + sample(database) + "; other: " + sample(other);
    }

    private boolean isDatabase(String file) {
        return databasePaths.stream().anyMatch(p -> file.equals(p) || file.startsWith(p + "/"));
    }

    private static String sample(TreeSet<String> files) {
        List<String> first = files.stream().limit(5).toList();
        return String.join(", ", first) + (files.size() > first.size() ? " and " + (files.size() - 5) + " more" : "");
    }

    private void rcMode(List<Update> updates, List<String> reasons) throws IOException, InterruptedException {
        String branchRef = "refs/heads/" + state.branch();
        for (Update u : updates) {
            if (!u.ref().equals(branchRef)) {
                continue;
            }
            if (u.newSha().equals(ZERO)) {
                reasons.add(state.branch() + " cannot be deleted while RC mode is on");
                continue;
            }
            // Commits the push brings that no existing ref has: each one must be release-critical or
            // approved.
            String list = git.run("rev-list", u.newSha(), "--not", "--all");
            for (String sha : list.split("\n")) {
                if (sha.isBlank()) {
                    continue;
                }
                String subject = git.run("log", "-1", "--format=%s", sha).strip();
                if (!TAG.matcher(subject).find() && !state.isApproved(sha)) {
                    reasons.add("commit "
                            + sha.substring(0, 12)
                            + " \""
                            + subject
                            + "\" has no [release-critical=<reason>] at the start of its subject and no lead"
                            + " approved it (signal approveLanding {\"commit\":\""
                            + sha
                            + "\",\"by\":…})");
                }
            }
        }
    }
}
