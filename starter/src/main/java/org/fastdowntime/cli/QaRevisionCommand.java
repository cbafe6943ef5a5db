package org.fastdowntime.cli;

import io.temporal.client.WorkflowUpdateException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fastdowntime.ledger.SignedVerdicts;
import org.fastdowntime.model.MonthlySignals;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.model.SignedStatement;
import org.fastdowntime.monthly.MonthlyDowntimeWorkflow;
import org.fastdowntime.sign.SigningException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "qa-revision",
        mixinStandardHelpOptions = true,
        description = {
            "QA's OK of a db-stable revision for a monthly downtime: the signal qaOk, or with --sign the update"
                    + " qaOkSigned, a statement (environment, revision, you, now, a nonce) signed with your SSH key,"
                    + " which an environment with approvals: {require: signed} needs. A refusal exits 44."
        })
final class QaRevisionCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "WORKFLOW_ID", description = "The MonthlyDowntime.")
    String workflowId;

    @Option(names = "--revision", required = true, paramLabel = "SHA", description = "The revision (7+ hex digits).")
    String revision;

    @Option(names = "--by", required = true, paramLabel = "NAME")
    String by;

    @Option(names = "--note", paramLabel = "TEXT")
    String note;

    @Option(names = "--sign", description = "Sign the QA-ok with your SSH key (see approve --sign).")
    boolean sign;

    @Option(names = "--key", paramLabel = "FILE", description = "The SSH key to sign with.")
    Path key;

    @Option(names = "--print-json", description = "With --sign: print the update's payload instead of sending it.")
    boolean printJson;

    @Mixin
    TemporalOptions temporal;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        String rev = revision.toLowerCase(Locale.ROOT);
        MonthlyDowntimeWorkflow monthly = temporal.workflow(MonthlyDowntimeWorkflow.class, workflowId);
        if (!sign) {
            temporal.signal(workflowId, "qaOk", new MonthlySignals.Revision(rev, by, note));
            say("qaOk of " + rev + " by " + by + " sent to " + workflowId + " (its verdict is in 'status')");
            return 0;
        }
        String environment = temporal.call(workflowId, monthly::status).environment();
        SignedStatement signed;
        try {
            signed = SignedVerdicts.signText(
                    SigningKey.find(key),
                    SignedVerdicts.revisionStatement(environment, rev, by, Instant.now(), note)
                            .text());
        } catch (SigningException | IllegalArgumentException e) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--sign: " + e.getMessage());
        }
        if (printJson) {
            new LedgerApproval(temporal, spec.commandLine().getOut()).print(signed);
            return 0;
        }
        try {
            say(temporal.call(workflowId, () -> monthly.qaOkSigned(signed)));
        } catch (WorkflowUpdateException | HttpWorkflows.UpdateRefused e) {
            throw new CommandFailure(
                    ProblemType.CHANGE_REFUSED, workflowId + " refused the QA-ok: " + TemporalOptions.refusal(e));
        }
        return 0;
    }

    private void say(String line) {
        spec.commandLine().getOut().println(line);
        spec.commandLine().getOut().flush();
    }
}
