package org.fastdowntime.model;

/**
 * Who applies patches, recorded in the history table and the revision rows.
 *
 * @param deploymentId a workflow id, or a command's own id
 * @param appliedBy a person or role name (never a credential)
 * @param branchNick and {@code revid}: version control details for LaunchpadDatabaseRevision, may
 *     be null
 */
public record Deployment(String deploymentId, String appliedBy, String branchNick, String revid) {}
