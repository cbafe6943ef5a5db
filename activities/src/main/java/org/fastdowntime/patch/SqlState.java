package org.fastdowntime.patch;

import java.sql.SQLException;

/**
 * The PostgreSQL error codes (SQLSTATE, appendix A of its manual) this project decides on, by name. A code is
 * compared here, never as a literal where it is used.
 */
public final class SqlState {
    /** unique_violation: two sessions created the same catalog row at once. */
    public static final String UNIQUE_VIOLATION = "23505";
    /** undefined_table. */
    public static final String UNDEFINED_TABLE = "42P01";
    /** duplicate_schema. */
    public static final String DUPLICATE_SCHEMA = "42P06";
    /** duplicate_table. */
    public static final String DUPLICATE_TABLE = "42P07";
    /** lock_not_available: lock_timeout expired. */
    public static final String LOCK_NOT_AVAILABLE = "55P03";
    /** query_canceled: statement_timeout expired, or pg_cancel_backend. */
    public static final String QUERY_CANCELED = "57014";
    /** invalid_catalog_name: the database does not exist. */
    public static final String INVALID_CATALOG_NAME = "3D000";
    /** Class 08, connection exception. */
    private static final String CONNECTION_EXCEPTION_CLASS = "08";
    /** Class 28, invalid authorization specification. */
    private static final String INVALID_AUTHORIZATION_CLASS = "28";
    /** Class 57, operator intervention (57014 cancelled, 57P01 admin shutdown, 57P02, 57P03…). */
    private static final String OPERATOR_INTERVENTION_CLASS = "57";
    /** admin_shutdown, crash_shutdown, cannot_connect_now, database_dropped: 57P01–57P04. */
    private static final String SERVER_GONE = "57P0";

    private SqlState() {}

    /** Whether {@code e} has SQLSTATE {@code code}. */
    public static boolean is(SQLException e, String code) {
        return e != null && code.equals(e.getSQLState());
    }

    /** Whether {@code state} is one of {@code codes}. */
    public static boolean isAnyOf(String state, String... codes) {
        for (String code : codes) {
            if (code.equals(state)) {
                return true;
            }
        }
        return false;
    }

    /** True for errors that mean the server is gone or refuses us (class 08, 57P0x, 3D000, class 28). */
    public static boolean isConnectionLoss(String state) {
        return state != null
                && (state.startsWith(CONNECTION_EXCEPTION_CLASS)
                        || state.startsWith(SERVER_GONE)
                        || state.equals(INVALID_CATALOG_NAME)
                        || state.startsWith(INVALID_AUTHORIZATION_CLASS));
    }

    /** A patch stopped by a timeout or an operator rather than by its SQL: lock_not_available or class 57. */
    public static boolean isInterrupted(String state) {
        return LOCK_NOT_AVAILABLE.equals(state) || (state != null && state.startsWith(OPERATOR_INTERVENTION_CLASS));
    }
}
