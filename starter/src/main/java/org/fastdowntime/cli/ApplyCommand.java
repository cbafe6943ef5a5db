package org.fastdowntime.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fastdowntime.activity.Json;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.env.Environments;
import org.fastdowntime.model.AppliedPatch;
import org.fastdowntime.model.ApplyReport;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.patch.EnvironmentApply;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        description = "Applies the pending cold patches of a staging environment (one that is another's staging in"
                + " the config) in one transaction, outside any window: for a staging that fell behind. A production"
                + " environment is refused: its patches are applied in windows.")
final class ApplyCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The worker's YAML config.")
    Path config;

    @Option(names = "--environment", required = true, paramLabel = "ENV", description = "The staging environment.")
    String environment;

    @Option(names = "--by", paramLabel = "NAME", description = "Who applies (default: $USER).")
    String by = System.getenv().getOrDefault("USER", "unknown");

    @Option(names = "--dry-run", description = "List the pending cold patches and apply nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print what was applied as one JSON document.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Map<String, EnvironmentSettings> all = ConfiguredEnvironments.load(config);
        EnvironmentSettings env = ConfiguredEnvironments.named(all, config, environment);
        String refusal = EnvironmentApply.refusal(environment, all);
        if (refusal != null) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, refusal);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (dryRun) {
            List<PatchId> pending;
            try (Connection c = Environments.connect(env, "fastdowntime apply")) {
                pending = EnvironmentApply.pending(c, env);
            }
            out.println(
                    pending.isEmpty()
                            ? environment + ": no pending cold patch"
                            : environment + ": would apply " + PatchId.join(pending) + " in one transaction");
            out.flush();
            return 0;
        }
        ApplyReport report = EnvironmentApply.apply(env, by);
        if (json) {
            out.println(Json.write(report));
        } else if (report.applied().isEmpty()) {
            out.println(environment + ": no pending cold patch; nothing applied");
        } else {
            for (AppliedPatch a : report.applied()) {
                out.printf(Locale.ROOT, "%s applied in %.1f seconds%n", a.id(), a.seconds());
            }
            report.followUps().forEach(out::println);
            out.printf(
                    Locale.ROOT,
                    "%s: %d cold patch(es) applied in one transaction (%.1f s)%n",
                    environment,
                    report.applied().size(),
                    report.patchSeconds());
        }
        out.flush();
        return 0;
    }
}
