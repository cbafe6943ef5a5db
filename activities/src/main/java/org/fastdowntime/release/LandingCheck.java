package org.fastdowntime.release;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The RC-mode gate of the devel branch, run as a git pre-receive or update hook. While RC mode is
 * on, every commit a push would add to devel must carry {@code [release-critical=<reason>]} at the
 * very start of its subject line, or have been approved by a lead ({@code approveLanding}). Every
 * new commit is checked, not just the tip, so a tag on a merge cannot carry untagged commits in; a
 * tag elsewhere in the message, an empty reason or a near miss ({@code [Release-Critical=…]}, no
 * closing bracket) does not count.
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

    public LandingCheck(Git git, RcState state) {
        this.git = git;
        this.state = state;
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
        if (!state.rcMode()) {
            return new Verdict(true, reasons);
        }
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
        return new Verdict(reasons.isEmpty(), reasons);
    }
}
