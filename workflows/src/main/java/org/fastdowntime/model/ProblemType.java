package org.fastdowntime.model;

/**
 * What can be wrong with a patch set, a database or a command, each with its own process exit code
 * so that scripts can tell them apart. Codes are part of the command-line contract (documented in
 * the README).
 */
public enum ProblemType {
    BAD_ARGUMENTS(2, "bad arguments"),
    BAD_FILE_NAME(10, "bad patch file name"),
    DUPLICATE_ID(11, "duplicate patch id"),
    MISSING_SEMICOLON(12, "file does not end with ';'"),
    REVISION_MISMATCH(13, "revision INSERT names another patch"),
    MIXED_KINDS(14, "file mixes LIVE and COLD statements"),
    LINT_ERROR(15, "lint error"),
    UNREADABLE_FILE(16, "unreadable file"),
    SQL_SYNTAX(17, "unterminated quote, comment or body"),
    TRANSACTION_CONTROL(18, "statement controls the window's transaction"),
    META_COMMAND(19, "psql meta-command"),
    DRIFT(20, "applied patch changed since"),
    MISSING_FILE(21, "applied patch missing from the folder"),
    INVALID_INDEX(22, "invalid index left behind"),
    SESSION_SETTING(23, "statement changes how the window's session reads or finds its work"),
    DATABASE_UNREACHABLE(30, "database unreachable"),
    DEPLOY_LOCK_BUSY(31, "another deployer holds the deployment lock"),
    PATCH_FAILED(32, "patch failed"),
    REVISION_NOT_RECORDED(33, "patch did not record its revision"),
    BAD_CONFIG(34, "bad worker config"),
    PORT_TAKEN(35, "a port the worker serves is taken"),
    TEMPORAL_UNREACHABLE(40, "Temporal unreachable"),
    WORKFLOW_NOT_FOUND(41, "no such workflow"),
    WINDOW_EXISTS(42, "a window with this id exists"),
    WINDOW_FAILED(43, "the window failed"),
    CHANGE_REFUSED(44, "the workflow refused the change");

    private final int exitCode;
    private final String title;

    ProblemType(int exitCode, String title) {
        this.exitCode = exitCode;
        this.title = title;
    }

    public int exitCode() {
        return exitCode;
    }

    public String title() {
        return title;
    }
}
