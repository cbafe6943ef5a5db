package org.fastdowntime.sandbox;

import java.time.Instant;

/** A simulated patch's file: it creates its own table and records its revision, as a real patch does. */
final class SimulatedPatch {
    private SimulatedPatch() {}

    static String sql(String id, Instant landed) {
        String[] p = id.split("-");
        return "-- Simulated patch " + id + ", landed " + landed + ".\n"
                + "CREATE TABLE sim_" + p[0] + "_" + p[1] + " (id serial PRIMARY KEY, note text);\n\n"
                + "INSERT INTO LaunchpadDatabaseRevision VALUES (" + Integer.parseInt(p[0]) + ", "
                + Integer.parseInt(p[1]) + ", 0);\n";
    }
}
