package org.fastdowntime.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.fastdowntime.release.Git;
import org.fastdowntime.release.LandingCheck;
import org.fastdowntime.release.RcState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "landing-check",
        mixinStandardHelpOptions = true,
        description = {
            "RC mode's gate, as a git hook of the repository devel lives in. As pre-receive it reads"
                    + " \"old new ref\" lines on stdin; as update it takes REF OLD NEW. While RC mode is on"
                    + " (fastdowntime-rc.json in the git directory), every commit a push adds to devel needs"
                    + " [release-critical=<reason>] at the start of its subject, or a lead's approveLanding."
                    + " With --separate-db-changes DIR, a push to any branch whose new commits change both DIR and"
                    + " other files is refused, RC mode or not (\"no DB and code changes in the same branch\")."
                    + " Exit 0 accepts the push, 1 refuses it (reasons on stderr).",
            "Install: printf '#!/bin/sh\\n"
                    + "exec /path/to/fastdowntime landing-check\\n"
                    + "' > .git/hooks/pre-receive; chmod +x .git/hooks/pre-receive"
        })
final class LandingCheckCommand implements Callable<Integer> {
    @Parameters(
            arity = "0..3",
            paramLabel = "REF OLD NEW",
            description = "As an update hook: the ref and its old and new ids.")
    List<String> update = List.of();

    @Option(
            names = "--state",
            paramLabel = "FILE",
            description = "RC state file (default: fastdowntime-rc.json in the git directory).")
    Path state;

    @Option(
            names = "--branch",
            defaultValue = "devel",
            description = "The branch RC mode guards (default: ${DEFAULT-VALUE}).")
    String branch;

    @Option(
            names = "--repository",
            paramLabel = "DIR",
            description = "The repository (default: the current directory, as git runs hooks).")
    Path repository;

    @Option(
            names = "--separate-db-changes",
            paramLabel = "DIR",
            description = "A database folder (e.g. database/schema; repeatable): a push may not change it and other"
                    + " files together. Off when not given.")
    List<String> databasePaths = List.of();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Git git = new Git(
                repository != null ? repository : Path.of(System.getenv().getOrDefault("GIT_DIR", ".")));
        Path file = state != null ? state : git.gitDir().resolve(RcState.FILE);
        RcState rc;
        try {
            rc = RcState.read(file, branch);
        } catch (IOException e) {
            // A state that cannot be read must not open devel: refuse, and say why.
            spec.commandLine()
                    .getErr()
                    .println("fastdowntime landing-check: cannot read RC state " + file + ": " + e.getMessage());
            return 1;
        }
        List<LandingCheck.Update> updates = update.size() == 3
                ? List.of(new LandingCheck.Update(update.get(0), update.get(1), update.get(2)))
                : LandingCheck.parsePreReceive(new String(System.in.readAllBytes(), StandardCharsets.UTF_8));
        LandingCheck.Verdict v = new LandingCheck(git, rc, databasePaths).check(updates);
        PrintWriter err = spec.commandLine().getErr();
        if (!v.accepted()) {
            err.println(
                    rc.rcMode()
                            ? "fastdowntime: devel is in RC mode (since " + rc.since() + ", for db-stable "
                                    + rc.revision() + ")."
                            : "fastdowntime: the push is refused.");
            v.reasons().forEach(r -> err.println("  " + r));
        }
        err.flush();
        return v.accepted() ? 0 : 1;
    }
}
