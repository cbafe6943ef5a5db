package org.fastdowntime.release;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * git itself, run in one repository: the tool every release engineer already trusts with merges and
 * hooks.
 */
public final class Git {
    private final Path repo;

    public Git(Path repo) {
        this.repo = repo;
    }

    public Path repo() {
        return repo;
    }

    /**
     * Runs git and returns its stdout; a non-zero exit becomes an IOException with git's own words.
     */
    public String run(String... args) throws IOException, InterruptedException {
        return run(null, args);
    }

    public String run(byte[] stdin, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("git", "-C", repo.toString()));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin);
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("git " + String.join(" ", args) + " did not finish in 120 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(
                    "git " + String.join(" ", args) + " failed: " + new String(err, StandardCharsets.UTF_8).strip());
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** Whether {@code ancestor} is already contained in {@code commit}. */
    public boolean isAncestor(String ancestor, String commit) throws IOException, InterruptedException {
        try {
            run("merge-base", "--is-ancestor", ancestor, commit);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public String resolve(String rev) throws IOException, InterruptedException {
        return run("rev-parse", "--verify", rev + "^{commit}").strip();
    }

    /** The git directory (for a hook: where the RC state lives by default). */
    public Path gitDir() throws IOException, InterruptedException {
        return repo.resolve(run("rev-parse", "--git-dir").strip()).normalize();
    }
}
