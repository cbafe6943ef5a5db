package org.fastdowntime.patch;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The session every patch runs in, and how it is restored after each one: whatever a patch set for itself (its
 * role, SET SESSION AUTHORIZATION, search_path and every other parameter) goes back to the values the session
 * started with, then the window's own settings apply again — its timeouts, and standard_conforming_strings on, so
 * the server splits and reads every string the way the patch files were parsed (a backslash in '…' is a
 * backslash, whatever the database's default). {@code local}: for a transaction (SET LOCAL), else for the session.
 */
final class WindowSession {
    private final EngineSettings settings;

    WindowSession(EngineSettings settings) {
        this.settings = settings;
    }

    /** The window's settings, as statements. */
    List<String> settings(boolean local) {
        String scope = local ? "SET LOCAL " : "SET ";
        return List.of(
                scope + "lock_timeout = " + settings.lockTimeout().toMillis(),
                scope + "statement_timeout = " + settings.statementTimeout().toMillis(),
                scope + "standard_conforming_strings = on");
    }

    /** The window's settings, as one string to send with other statements. */
    String settingsSql(boolean local) {
        return String.join("; ", settings(local));
    }

    /** What undoes a patch's settings, then the window's own: the statements to follow each patch. */
    List<String> reset(boolean local) {
        List<String> out = new ArrayList<>(List.of("RESET SESSION AUTHORIZATION", "RESET ROLE", "RESET ALL"));
        out.addAll(settings(local));
        return out;
    }

    /** {@link #reset} in one round trip. */
    void reset(Connection c, boolean local) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(String.join("; ", reset(local)));
        }
    }
}
