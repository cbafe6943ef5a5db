package org.fastdowntime.env;

import java.nio.file.Path;

/**
 * What an environment's approval ledger trusts ({@code approvals: {require: signed, allowedSigners: FILE}}).
 *
 * @param require {@code NAMED}: a verdict is whoever the sender says (anyone who can signal the namespace can send
 *     one; restrict that with Temporal's authorization); {@code SIGNED}: only verdicts signed with an SSH key that the
 *     allowed-signers file gives to the person named
 * @param allowedSigners OpenSSH's allowed-signers file (git's format for SSH commit signing); required when signed
 */
public record ApprovalSettings(Require require, Path allowedSigners) {
    public enum Require {
        NAMED,
        SIGNED
    }

    public static ApprovalSettings named() {
        return new ApprovalSettings(Require.NAMED, null);
    }

    public boolean signed() {
        return require == Require.SIGNED;
    }
}
