package org.fastdowntime.cli;

import io.temporal.client.WorkflowUpdateException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fastdowntime.fast.FastDowntimeWorkflow;
import org.fastdowntime.model.FastDowntimeStatus;
import org.fastdowntime.model.LedgerWord;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.PatchQaStatus;
import org.fastdowntime.model.ProblemType;
import org.fastdowntime.model.QaSignal;
import org.fastdowntime.model.QaState;
import org.fastdowntime.model.QaWord;
import org.fastdowntime.model.SignalRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "approve",
        mixinStandardHelpOptions = true,
        description = {
            "QA's word on patches: qaOk (default), qaBad with --reject, or signOff with --sign-off; to a window"
                    + " (WORKFLOW_ID), or to an environment's approval ledger (--environment ENV), where it counts for"
                    + " every later window until it is revoked or the file changes. --sign signs it with your SSH key.",
            "--patch may be repeated, or --all-pending names every patch still waiting for this word. The command"
                    + " waits for the window's verdict on each and exits 44 with the reasons when one was refused."
        })
final class ApproveCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "WORKFLOW_ID")
    String workflowId;

    @Option(
            names = "--environment",
            paramLabel = "ENV",
            description = "Record the verdict in ENV's approval ledger (no window needed).")
    String environment;

    @Option(
            names = "--sign",
            description = "Sign each patch's statement (environment, patch, SHA-256, verdict, you, now, a nonce) with"
                    + " your SSH key, as ssh-keygen -Y sign does; needed where approvals: {require: signed}.")
    boolean sign;

    @Option(
            names = "--key",
            paramLabel = "FILE",
            description = "The SSH key to sign with (a private key, or a .pub whose key ssh-agent holds); default:"
                    + " the agent's first key, else ~/.ssh/id_ed25519, id_ecdsa, id_rsa.")
    java.nio.file.Path key;

    @Option(
            names = "--patches",
            paramLabel = "DIR",
            description = "The folder you judged (with --environment): each patch's SHA-256 is read there, so that"
                    + " only that file is approved.")
    java.nio.file.Path folder;

    @Option(
            names = "--print-json",
            description = "Print the ledger's record payload instead of sending it (for the Web UI).")
    boolean printJson;

    @Option(names = "--patch", paramLabel = "ID", description = "A patch of the window; may be repeated.")
    List<String> patches = new ArrayList<>();

    @Option(
            names = "--all-pending",
            description = "Every candidate still waiting: for qaOk and --reject those not yet decided, for"
                    + " --sign-off those waiting for a sign-off.")
    boolean allPending;

    @Option(names = "--by", required = true, paramLabel = "NAME")
    String by;

    @Option(names = "--reject", description = "Send qaBad: the patch is left out of this window.")
    boolean reject;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (required with --reject).")
    String reason;

    @Option(names = "--sign-off", description = "Send signOff, for a patch over the per-patch budget.")
    boolean signOff;

    @Option(names = "--note", paramLabel = "TEXT")
    String note;

    @Option(
            names = "--wait",
            paramLabel = "DURATION",
            defaultValue = "60s",
            description = "How long to wait for the window's verdicts (default ${DEFAULT-VALUE}; a window still"
                    + " resolving its candidates judges them once it knows them).")
    String wait;

    @Mixin
    TemporalOptions temporal;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        checkArguments();
        if (workflowId == null || sign || printJson) {
            return toLedger();
        }
        Duration patience = parseWait();
        FastDowntimeWorkflow window = temporal.workflow(FastDowntimeWorkflow.class, workflowId);
        QaWord word = reject ? QaWord.QA_BAD : signOff ? QaWord.SIGN_OFF : QaWord.QA_OK;
        // The status is read first only when it is needed: to name the pending patches, or to find a signal's
        // verdicts after those already recorded. A qaOk of named patches is one call, the update.
        FastDowntimeStatus before =
                allPending || word != QaWord.QA_OK ? temporal.call(workflowId, window::status) : null;
        List<String> ids = allPending ? pending(before) : patches;
        if (ids.isEmpty()) {
            out().println("Nothing to send: no patch of " + workflowId + " is waiting for " + word.wire() + ".");
            out().flush();
            return 0;
        }
        QaSignal signal =
                ids.size() == 1 ? new QaSignal(ids.get(0), by, note, reason) : QaSignal.of(ids, by, note, reason);
        List<SignalRecord> verdicts = word == QaWord.QA_OK
                ? approve(window, signal)
                : signal(window, word, signal, before.signals().size(), ids.size(), patience);
        return report(word, verdicts);
    }

    /** The verdict goes to the ledger: of --environment, or of the window's environment for its candidates. */
    private int toLedger() {
        LedgerWord word = reject ? LedgerWord.QA_BAD : signOff ? LedgerWord.SIGN_OFF : LedgerWord.QA_OK;
        LedgerApproval ledger = new LedgerApproval(temporal, out());
        String env = environment;
        java.util.Map<String, String> files = new java.util.LinkedHashMap<>();
        if (workflowId != null) {
            FastDowntimeStatus status =
                    temporal.call(workflowId, temporal.workflow(FastDowntimeWorkflow.class, workflowId)::status);
            env = status.environment();
            for (String id : allPending ? pending(status) : patches) {
                files.put(
                        id,
                        status.patches().stream()
                                .filter(p -> p.id().equals(PatchId.parse(id)))
                                .map(PatchQaStatus::sha256)
                                .findFirst()
                                .orElseThrow(() -> new CommandFailure(
                                        ProblemType.BAD_ARGUMENTS, id + " is not a candidate of " + workflowId)));
            }
        } else if (folder != null) {
            files.putAll(LedgerApproval.checksums(folder, patches));
        } else {
            patches.forEach(p -> files.put(p, null));
        }
        if (files.isEmpty()) {
            out().println("Nothing to send: no patch is waiting for " + word.wire() + ".");
            out().flush();
            return 0;
        }
        org.fastdowntime.model.LedgerRequest request = ledger.request(
                new LedgerApproval.Verdict(env, word, by, reject ? reason : note, files),
                sign ? SigningKey.find(key) : null);
        if (printJson) {
            ledger.print(request);
            return 0;
        }
        ledger.record(env, request);
        ledger.tellWindows(workflowId == null ? ledger.runningWindows(env) : List.of(workflowId));
        return 0;
    }

    private void checkArguments() {
        if ((workflowId == null) == (environment == null)) {
            throw new CommandFailure(
                    ProblemType.BAD_ARGUMENTS, "give a window (WORKFLOW_ID) or an environment (--environment ENV)");
        }
        if (environment != null && allPending) {
            throw new CommandFailure(
                    ProblemType.BAD_ARGUMENTS, "--all-pending needs a window: name the patches with --patch");
        }
        if (reject && signOff) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--reject and --sign-off exclude each other");
        }
        if (reject && (reason == null || reason.isBlank())) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--reject needs --reason");
        }
        if (allPending == !patches.isEmpty()) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "give --patch (one or more) or --all-pending");
        }
        for (String p : patches) {
            try {
                PatchId.parse(p);
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--patch: " + e.getMessage());
            }
        }
    }

    /** A qaOk, as the window's update: its verdicts are the answer. */
    private List<SignalRecord> approve(FastDowntimeWorkflow window, QaSignal signal) {
        try {
            return temporal.call(workflowId, () -> window.approve(signal)).verdicts();
        } catch (WorkflowUpdateException | HttpWorkflows.UpdateRefused e) {
            throw new CommandFailure(
                    ProblemType.CHANGE_REFUSED, workflowId + " refused the approval: " + TemporalOptions.refusal(e));
        }
    }

    /** A qaBad or signOff, as a signal: its verdicts are read back from the status. */
    private List<SignalRecord> signal(
            FastDowntimeWorkflow window, QaWord word, QaSignal signal, int seen, int expected, Duration patience)
            throws InterruptedException {
        temporal.call(workflowId, () -> {
            if (word == QaWord.QA_BAD) {
                window.qaBad(signal);
            } else {
                window.signOff(signal);
            }
            return null;
        });
        return awaitVerdicts(window, word, seen, expected, patience);
    }

    /** Prints each verdict; a refusal of any is the command's failure. */
    private int report(QaWord word, List<SignalRecord> verdicts) {
        List<String> refused = new ArrayList<>();
        for (SignalRecord v : verdicts) {
            // "taken": the window accepted the word; what follows is the patch's new state, not the signal's fate.
            out().println(word.wire() + " " + v.patch() + " by " + v.by() + ": "
                    + (v.accepted() ? "taken; " + v.patch() + " is now " : "refused: ") + v.reason());
            if (!v.accepted()) {
                refused.add(v.patch() + ": " + v.reason());
            }
        }
        out().flush();
        if (!refused.isEmpty()) {
            throw new CommandFailure(
                    ProblemType.CHANGE_REFUSED,
                    workflowId + " refused " + word.wire() + " for " + String.join("; ", refused));
        }
        return 0;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private Duration parseWait() {
        try {
            return org.fastdowntime.time.Durations.parse(wait);
        } catch (RuntimeException e) {
            throw new CommandFailure(ProblemType.BAD_ARGUMENTS, "--wait: not a duration: '" + wait + "'");
        }
    }

    /** The candidates still waiting for this word. */
    private List<String> pending(FastDowntimeStatus status) {
        List<String> out = new ArrayList<>();
        for (PatchQaStatus p : status.patches()) {
            boolean waiting = signOff
                    ? p.state() == QaState.NEEDS_SIGN_OFF
                    : p.state() == QaState.WAITING || p.state() == QaState.NEEDS_SIGN_OFF && reject;
            if (waiting) {
                out.add(p.id().toString());
            }
        }
        return out;
    }

    /** A signal's verdicts, as the status records them after the {@code seen} it had before. */
    private List<SignalRecord> awaitVerdicts(
            FastDowntimeWorkflow window, QaWord word, int seen, int expected, Duration patience)
            throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            List<SignalRecord> all = temporal.call(workflowId, window::status).signals();
            List<SignalRecord> mine = all.subList(Math.min(seen, all.size()), all.size()).stream()
                    .filter(r -> word.is(r.signal()) && by.equals(r.by()))
                    .toList();
            if (mine.size() >= expected) {
                return mine;
            }
            if (System.nanoTime() > deadline) {
                throw new CommandFailure(
                        ProblemType.WINDOW_FAILED,
                        "sent " + word.wire() + " to " + workflowId + ", but it gave no verdict within " + wait
                                + " (see 'status')");
            }
            Thread.sleep(200);
        }
    }
}
