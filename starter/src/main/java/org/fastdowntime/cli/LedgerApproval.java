package org.fastdowntime.cli;

import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fastdowntime.approval.ApprovalLedgerWorkflow;
import org.fastdowntime.ledger.Ledgers;
import org.fastdowntime.ledger.SignedVerdicts;
import org.fastdowntime.model.LedgerEntry;
import org.fastdowntime.model.LedgerItem;
import org.fastdowntime.model.LedgerRequest;
import org.fastdowntime.model.LedgerWord;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.patch.PatchFolder;
import org.fastdowntime.sign.SigningException;
import org.fastdowntime.sign.SshSigner;

/**
 * A verdict given to an environment's approval ledger from the command line: named, or signed with the person's SSH
 * key (each patch's statement pins the SHA-256 of the file they judged). Refused as a whole, with every reason, when
 * the ledger refuses any of it.
 */
final class LedgerApproval {
    private final TemporalOptions temporal;
    private final PrintWriter out;

    LedgerApproval(TemporalOptions temporal, PrintWriter out) {
        this.temporal = temporal;
        this.out = out;
    }

    /** What to record: the word, by whom, why, and each patch with the checksum judged (null: the file as it is). */
    record Verdict(String environment, LedgerWord word, String by, String note, Map<String, String> patches) {}

    /** The request for {@code v}, its items signed by {@code signer} when there is one. */
    LedgerRequest request(Verdict v, SshSigner signer) {
        List<LedgerItem> items = new ArrayList<>();
        for (Map.Entry<String, String> p : v.patches().entrySet()) {
            if (signer == null) {
                items.add(new LedgerItem(p.getKey(), p.getValue(), null, null));
                continue;
            }
            if (p.getValue() == null) {
                throw new CommandFailure(
                        ProblemType.BAD_ARGUMENTS,
                        "--sign: no checksum for " + p.getKey() + ": give --patches DIR, the folder you judged");
            }
            try {
                items.add(SignedVerdicts.sign(
                        signer,
                        SignedVerdicts.statement(
                                v.environment(), p.getKey(), p.getValue(), v.word(), v.by(), Instant.now(), v.note())));
            } catch (SigningException | IllegalArgumentException e) {
                throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--sign: " + e.getMessage());
            }
        }
        return new LedgerRequest(v.word().wire(), v.by(), v.note(), items, null);
    }

    /** A payload as the ledger's {@code record} update or a workflow's update takes it: for the Web UI. */
    void print(Object r) {
        try {
            out.println(JacksonJsonPayloadConverter.newDefaultObjectMapper()
                    .writerWithDefaultPrettyPrinter()
                    .writeValueAsString(r));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    /** Records {@code r} in {@code environment}'s ledger and prints each entry; a refusal is the command's failure. */
    List<LedgerEntry> record(String environment, LedgerRequest r) {
        String id = ApprovalLedgerWorkflow.workflowId(environment);
        ApprovalLedgerWorkflow ledger =
                temporal.call(id, () -> Ledgers.ensure(temporal.client(), environment, temporal.taskQueue()));
        List<LedgerEntry> recorded;
        try {
            recorded = temporal.call(id, () -> Ledgers.record(ledger, r));
        } catch (Ledgers.Refused e) {
            throw new CommandFailure(
                    ProblemType.CHANGE_REFUSED,
                    "the approval ledger of " + environment + " refused " + r.word() + ": " + e.getMessage());
        }
        for (LedgerEntry e : recorded) {
            out.println(e.word().wire() + " " + e.patch() + " (" + e.sha256().substring(0, 12) + "…) by " + e.by()
                    + ": recorded in the approval ledger of " + environment + (e.signed() ? ", signed" : ""));
        }
        out.flush();
        return recorded;
    }

    /** Tells running windows that the ledger changed, so they count it now rather than when their QA closes. */
    void tellWindows(List<String> workflowIds) {
        for (String window : workflowIds) {
            try {
                temporal.signal(window, "ledgerChanged", null);
            } catch (RuntimeException notRunning) {
                // a window that ended no longer needs to know
            }
        }
    }

    /**
     * The fast windows of {@code environment} and the fleet windows still running, as visibility lists them: told
     * when the ledger changed.
     * None when the server cannot list (an embedded service): they count the ledger before their QA closes anyway.
     */
    List<String> runningWindows(String environment) {
        String prefix = "fast-downtime-" + environment + "-";
        // Fleet windows are told too: which environment's ledger a fleet reads is in the worker's config, and a
        // fleet told of another ledger only reads its own once more.
        try (var executions = temporal.client()
                .listExecutions("WorkflowType IN ('FastDowntime', 'FleetDowntime') AND ExecutionStatus='Running'")) {
            return executions
                    .map(e -> e.getExecution().getWorkflowId())
                    .filter(id -> id.startsWith(prefix) || id.startsWith("fleet-downtime-"))
                    .toList();
        } catch (RuntimeException cannotList) {
            return List.of();
        }
    }

    /** The SHA-256 of each patch's file in {@code folder}, the folder the person judged. */
    static Map<String, String> checksums(Path folder, List<String> patches) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String p : patches) {
            PatchId id = PatchId.parse(p);
            Path file = folder.resolve("patch-" + id + ".sql");
            try {
                out.put(p, PatchFolder.sha256(Files.readAllBytes(file)));
            } catch (IOException e) {
                throw new CommandFailure(
                        ProblemType.BAD_ARGUMENTS, "--patches: cannot read " + file + ": " + e.getMessage());
            }
        }
        return out;
    }
}
