/**
 * OpenSSH signatures for approvals: {@code SSHSIG} signing (a key file or an ssh-agent) and verification against an
 * allowed-signers file, in the formats {@code ssh-keygen -Y sign/verify} and git's SSH commit signing use. The
 * cryptography is Apache MINA SSHD's (with BouncyCastle for ed25519); this package only frames it.
 */
package org.fastdowntime.sign;
