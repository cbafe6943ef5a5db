package org.fastdowntime.ledger;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.fastdowntime.approval.ApprovalLedgerWorkflowImpl;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.env.Environments;
import org.fastdowntime.model.ApprovalCheck;
import org.fastdowntime.model.ApprovalStatement;
import org.fastdowntime.model.EnvironmentPolicy;
import org.fastdowntime.model.LedgerEntry;
import org.fastdowntime.model.LedgerItem;
import org.fastdowntime.model.LedgerRequest;
import org.fastdowntime.model.LedgerWord;
import org.fastdowntime.model.PatchCandidate;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.ResolvedPatches;
import org.fastdowntime.model.SignedStatement;
import org.fastdowntime.ports.ApprovalActivities;
import org.fastdowntime.ports.DatabaseActivities;
import org.fastdowntime.sign.AllowedSigners;
import org.fastdowntime.sign.SigningException;
import org.fastdowntime.sign.SshSignature;

/**
 * Checks verdicts for an environment's approval ledger against the environment as it is now, and gives windows their
 * ledger: found (or started) and read or written with the activity's own client.
 */
public final class ApprovalActivitiesImpl implements ApprovalActivities {
    private final Environments environments;
    private final DatabaseActivities database;

    public ApprovalActivitiesImpl(Environments environments, DatabaseActivities database) {
        this.environments = environments;
        this.database = database;
    }

    @Override
    public ApprovalCheck check(String environment, LedgerRequest request) {
        EnvironmentSettings env = environments.get(environment);
        // Every pending patch (an empty request asks for all of them): a verdict is only ever recorded for one of
        // them, named in the request, and at the checksum of its file now.
        ResolvedPatches resolved = database.resolvePatches(environment, List.of());
        Map<PatchId, PatchCandidate> pending = new LinkedHashMap<>();
        Stream.concat(resolved.cold().stream(), resolved.live().stream()).forEach(c -> pending.put(c.id(), c));
        AllowedSigners signers = signers(env, request);
        List<ApprovalCheck.Item> items = new ArrayList<>();
        for (LedgerItem item : request.items()) {
            items.add(check(env, request, item, pending, signers));
        }
        return new ApprovalCheck(env.approvals().signed(), items);
    }

    private ApprovalCheck.Item check(
            EnvironmentSettings env,
            LedgerRequest request,
            LedgerItem item,
            Map<PatchId, PatchCandidate> pending,
            AllowedSigners signers) {
        PatchCandidate c = pending.get(PatchId.parse(item.patch()));
        if (c == null) {
            return new ApprovalCheck.Item(
                    item.patch(),
                    null,
                    null,
                    "not a pending patch of " + env.name() + " (already applied, or not in " + env.patches() + ")");
        }
        String problem = person(env.policy(), request.verdict(), request.by(), c);
        ApprovalStatement statement = null;
        if (problem == null && item.signed()) {
            statement = ApprovalStatement.parse(item.statement());
            problem = signature(
                    env,
                    new SignedStatement(item.statement(), item.signature()),
                    statement.by(),
                    statement.time(),
                    signers);
            if (problem == null && !statement.sha256().equals(c.sha256())) {
                problem = "the statement was signed for " + statement.sha256().substring(0, 12) + "… but " + c.file()
                        + " is now " + c.sha256().substring(0, 12) + "… (edited since): approve it again";
            }
        }
        return new ApprovalCheck.Item(item.patch(), c.sha256(), statement, problem);
    }

    /** Null if {@code by} may say {@code word} about {@code c}, else why not. */
    static String person(EnvironmentPolicy policy, LedgerWord word, String by, PatchCandidate c) {
        boolean may =
                switch (word) {
                    case QA_OK, QA_BAD -> policy.canApprove(by);
                    case SIGN_OFF -> policy.canSignOff(by);
                    case REVOKE -> policy.canAbort(by);
                };
        if (!may) {
            return by + " is not a configured "
                    + (word == LedgerWord.SIGN_OFF
                            ? "sign-off approver"
                            : word == LedgerWord.REVOKE ? "approver or sign-off approver" : "approver");
        }
        if ((word == LedgerWord.QA_OK || word == LedgerWord.SIGN_OFF) && c.writtenBy(by)) {
            return by + " wrote " + c.id() + " (" + c.author() + ") and cannot approve it";
        }
        return null;
    }

    @Override
    public String checkSignature(String environment, SignedStatement signed, String by, java.time.Instant time) {
        EnvironmentSettings env = environments.get(environment);
        return signature(env, signed, by, time, signers(env));
    }

    /** Null if the signature is {@code by}'s at {@code time}, over exactly its statement, else why not. */
    private static String signature(
            EnvironmentSettings env,
            SignedStatement signed,
            String by,
            java.time.Instant time,
            AllowedSigners signers) {
        if (signers == null) {
            return env.name() + " has no allowed signers (approvals: {require: signed, allowedSigners: FILE}):"
                    + " a signature cannot be checked";
        }
        SshSignature sig;
        try {
            sig = SshSignature.parse(signed.signature());
        } catch (SigningException e) {
            return e.getMessage();
        }
        String problem = sig.problem(signed.statement().getBytes(StandardCharsets.UTF_8), SshSignature.NAMESPACE);
        return problem != null ? problem : signers.problem(by, SshSignature.NAMESPACE, sig.key(), time);
    }

    private static AllowedSigners signers(EnvironmentSettings env, LedgerRequest request) {
        return request.items().stream().anyMatch(LedgerItem::signed) ? signers(env) : null;
    }

    /** The environment's allowed signers, or null when it has none. */
    private static AllowedSigners signers(EnvironmentSettings env) {
        if (env.approvals().allowedSigners() == null) {
            return null;
        }
        try {
            return AllowedSigners.read(env.approvals().allowedSigners());
        } catch (SigningException e) {
            throw ApplicationFailure.newFailure(e.getMessage(), "ALLOWED_SIGNERS_UNREADABLE");
        }
    }

    @Override
    public List<LedgerEntry> read(String environment, List<PatchId> patches) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        Set<PatchId> wanted = new HashSet<>(patches);
        return Ledgers.ensure(
                        ctx.getWorkflowClient(), environment, ctx.getInfo().getActivityTaskQueue())
                .show()
                .entries()
                .stream()
                .filter(e -> wanted.contains(e.patch()))
                .toList();
    }

    @Override
    public List<LedgerEntry> record(String environment, LedgerRequest request) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        try {
            return Ledgers.record(
                    Ledgers.ensure(
                            ctx.getWorkflowClient(), environment, ctx.getInfo().getActivityTaskQueue()),
                    request);
        } catch (Ledgers.Refused e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), ApprovalLedgerWorkflowImpl.REFUSED);
        }
    }
}
