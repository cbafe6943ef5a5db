package org.fastdowntime.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.fastdowntime.activity.Json;
import org.fastdowntime.model.AppliedPatch;
import org.fastdowntime.model.ApplyReport;
import org.fastdowntime.model.Deployment;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchKind;
import org.fastdowntime.patch.EngineSettings;
import org.fastdowntime.patch.PatchEngine;
import org.fastdowntime.patch.PatchSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "apply-live",
        mixinStandardHelpOptions = true,
        description = "Applies the pending LIVE patches (CREATE INDEX CONCURRENTLY, …) one at a time, outside any"
                + " transaction and without an outage; each is recorded only after it succeeded.")
final class ApplyLiveCommand implements Callable<Integer> {
    @Mixin
    PatchOptions options;

    @Option(
            names = "--patch",
            paramLabel = "ID",
            description = "Apply only these live patches (repeatable; without it, every pending LIVE patch, by name).")
    List<String> only = List.of();

    @Option(names = "--by", paramLabel = "NAME", description = "Who applies (default: $USER).")
    String by = System.getenv().getOrDefault("USER", "unknown");

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        EngineSettings settings = options.settings();
        ApplyReport report;
        try (Connection c = options.connect("fastdowntime apply-live")) {
            PatchSet set = options.scan(c, settings);
            Deployment who = new Deployment("apply-live-" + UUID.randomUUID(), by, null, null);
            PatchEngine engine = new PatchEngine(settings);
            List<PatchId> ids = Ids.parse(only);
            // Without --patch, every LIVE patch of the folder, named: the engine applies only what it is given, and
            // skips (and counts) those already recorded.
            report = engine.applyLive(
                    c,
                    set,
                    ids.isEmpty()
                            ? set.patches().stream()
                                    .filter(p -> p.kind() == PatchKind.LIVE)
                                    .map(p -> p.id())
                                    .toList()
                            : ids,
                    who);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(report));
        } else {
            for (AppliedPatch a : report.applied()) {
                out.printf(Locale.ROOT, "%s applied live just now in %.1f seconds%n", a.id(), a.seconds());
            }
            out.printf(
                    Locale.ROOT,
                    "%d live patch(es) applied, %d already applied%n",
                    report.applied().size(),
                    report.alreadyApplied().size());
        }
        out.flush();
        return 0;
    }
}
