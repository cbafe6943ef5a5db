package org.fastdowntime.cli;

import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fastdowntime.approval.ApprovalLedgerWorkflow;
import org.fastdowntime.model.LedgerEntry;
import org.fastdowntime.model.LedgerView;
import org.fastdowntime.model.LedgerWord;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.ProblemType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "approvals",
        mixinStandardHelpOptions = true,
        description = "An environment's approval ledger (workflow id approvals-ENV): every verdict on its patches, by"
                + " patch and file checksum; 'approve --environment ENV' records in it.",
        subcommands = {ApprovalsCommand.Show.class, ApprovalsCommand.Revoke.class, ApprovalsCommand.Export.class})
public final class ApprovalsCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "say what to do: show, revoke or export");
    }

    /** The options every approvals command shares. */
    static final class LedgerOptions {
        @Option(names = "--environment", required = true, paramLabel = "ENV")
        String environment;

        @Mixin
        TemporalOptions temporal;

        LedgerView view() {
            String id = ApprovalLedgerWorkflow.workflowId(environment);
            return temporal.call(
                    id,
                    () -> temporal.workflow(ApprovalLedgerWorkflow.class, id).show());
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Every verdict the ledger holds.")
    static final class Show implements Callable<Integer> {
        @Mixin
        LedgerOptions ledger;

        @Option(names = "--json", description = "Print the ledger as one JSON document.")
        boolean json;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            LedgerView view = ledger.view();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(JacksonJsonPayloadConverter.newDefaultObjectMapper()
                        .writerWithDefaultPrettyPrinter()
                        .writeValueAsString(view));
            } else {
                out.println("Approval ledger of " + view.environment() + ": "
                        + view.entries().size() + " verdict(s), run " + view.runs());
                view.entries().forEach(e -> out.println(line(e)));
            }
            out.flush();
            return 0;
        }

        static String line(LedgerEntry e) {
            return String.format(
                    "  #%-4d %-8s %-10s %s…  %-10s %s%s%s%s",
                    e.seq(),
                    e.word().wire(),
                    e.patch(),
                    e.sha256().substring(0, 12),
                    e.by(),
                    e.at(),
                    e.signed() ? "  signed" : "",
                    e.note() == null ? "" : "  \"" + e.note() + "\"",
                    e.revoked()
                            ? "  REVOKED by " + e.revokedBy() + " at " + e.revokedAt() + ": " + e.revokeReason()
                            : "");
        }
    }

    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Takes back every standing verdict on a patch (windows that counted it stop counting it).")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        LedgerOptions ledger;

        @Option(names = "--patch", required = true, paramLabel = "ID")
        String patch;

        @Option(names = "--by", required = true, paramLabel = "NAME")
        String by;

        @Option(names = "--reason", required = true, paramLabel = "TEXT")
        String reason;

        @Option(names = "--sign", description = "Sign the revocation with your SSH key (see approve --sign).")
        boolean sign;

        @Option(names = "--key", paramLabel = "FILE", description = "The SSH key to sign with.")
        Path key;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PatchId id;
            try {
                id = PatchId.parse(patch);
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--patch: " + e.getMessage());
            }
            // The checksum a signed revocation names: the file its standing verdicts are about.
            String sha = ledger.view().entries().stream()
                    .filter(e -> e.patch().equals(id) && !e.revoked() && e.word() != LedgerWord.REVOKE)
                    .map(LedgerEntry::sha256)
                    .reduce((a, b) -> b)
                    .orElse(null);
            LedgerApproval approval =
                    new LedgerApproval(ledger.temporal, spec.commandLine().getOut());
            Map<String, String> files = new java.util.LinkedHashMap<>();
            files.put(patch, sha);
            approval.record(
                    ledger.environment,
                    approval.request(
                            new LedgerApproval.Verdict(ledger.environment, LedgerWord.REVOKE, by, reason, files),
                            sign ? SigningKey.find(key) : null));
            return 0;
        }
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = "Writes the ledger's signed statements and their signatures, which 'ssh-keygen -Y verify"
                    + " -n fastdowntime' checks against your allowed-signers file, and the whole ledger as JSON.")
    static final class Export implements Callable<Integer> {
        @Mixin
        LedgerOptions ledger;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write (created).")
        Path dir;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            LedgerView view = ledger.view();
            Files.createDirectories(dir);
            PrintWriter out = spec.commandLine().getOut();
            List<LedgerEntry> signed =
                    view.entries().stream().filter(LedgerEntry::signed).toList();
            for (LedgerEntry e : signed) {
                String name =
                        String.format("%04d-%s-%s", e.seq(), e.patch(), e.word().wire());
                Files.writeString(dir.resolve(name + ".statement"), e.statement());
                Files.writeString(dir.resolve(name + ".sig"), e.signature());
                out.println("ssh-keygen -Y verify -f ALLOWED_SIGNERS -I " + e.by() + " -n fastdowntime -s " + name
                        + ".sig < " + name + ".statement");
            }
            Files.writeString(
                    dir.resolve("ledger.json"),
                    JacksonJsonPayloadConverter.newDefaultObjectMapper()
                            .writerWithDefaultPrettyPrinter()
                            .writeValueAsString(view));
            out.println("Exported " + signed.size() + " signed statement(s) of "
                    + view.entries().size() + " verdict(s) to " + dir + " (ledger.json holds them all).");
            out.flush();
            return 0;
        }
    }
}
