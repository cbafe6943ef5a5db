/**
 * The approval ledger: one long-lived workflow per environment ({@code approvals-ENV}) holding every verdict on a
 * patch, keyed by the patch and the SHA-256 of the file judged, so that an approval given once counts for every
 * later window until it is revoked, rejected or the file changes. Workflow code.
 */
package org.fastdowntime.approval;
