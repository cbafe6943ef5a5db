/**
 * The patch engine, in Flyway's roles: {@code PatchFolder} finds patches, {@code SqlScript}/{@code
 * SqlLexer} parse, {@code StatementKinds} classifies LIVE or COLD, {@code Linter} lints, {@code
 * PatchEngine} executes, {@code RevisionStore} records; and the database activities (resolve, time
 * on staging, preflight).
 */
package org.fastdowntime.patch;
