package org.fastdowntime.ports;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;
import org.fastdowntime.model.ApprovalCheck;
import org.fastdowntime.model.LedgerEntry;
import org.fastdowntime.model.LedgerRequest;
import org.fastdowntime.model.PatchId;
import org.fastdowntime.model.SignedStatement;

/** The approval ledger's dealings with the worker: checking a verdict, and windows reading and writing the ledger. */
@ActivityInterface
public interface ApprovalActivities {
    /**
     * Checks a request item by item against the environment as it is now: the pending file and its checksum, the
     * configured approvers, the author, and for signed items the signature against the allowed signers.
     */
    @ActivityMethod(name = "CheckApproval")
    ApprovalCheck check(String environment, LedgerRequest request);

    /**
     * Null if {@code signed} is {@code by}'s OpenSSH signature of its statement, by a key the environment's allowed
     * signers give {@code by} at {@code time}; else why not.
     */
    @ActivityMethod(name = "CheckSignature")
    String checkSignature(String environment, SignedStatement signed, String by, java.time.Instant time);

    /** The ledger's entries about {@code patches} (starting the environment's ledger if it is not running). */
    @ActivityMethod(name = "ReadLedger")
    List<LedgerEntry> read(String environment, List<PatchId> patches);

    /** Records a window's accepted verdicts in the environment's ledger; returns the entries recorded. */
    @ActivityMethod(name = "RecordInLedger")
    List<LedgerEntry> record(String environment, LedgerRequest request);
}
