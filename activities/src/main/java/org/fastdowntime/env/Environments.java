package org.fastdowntime.env;

import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.util.Map;
import java.util.TreeMap;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.patch.Databases;
import org.fastdowntime.patch.PatchEngineException;

/** The configured environments, and connections to them with the worker's own credentials. */
public final class Environments {
    private final Map<String, EnvironmentSettings> byName;
    private final Fleets fleets;

    public Environments(Map<String, EnvironmentSettings> byName) {
        this(byName, Map.of());
    }

    /** The environments, and the members of {@code fleets} as environments named {@code fleet/member}. */
    public Environments(Map<String, EnvironmentSettings> byName, Map<String, FleetSettings> fleets) {
        this.byName = new TreeMap<>(byName);
        this.fleets = new Fleets(fleets, this.byName);
    }

    public Fleets fleets() {
        return fleets;
    }

    public EnvironmentSettings get(String name) {
        EnvironmentSettings e = name == null ? null : byName.get(name);
        if (e == null) {
            e = fleets.member(name);
        }
        if (e == null) {
            throw ApplicationFailure.newNonRetryableFailure(
                    "unknown environment '" + name + "'; configured: " + String.join(", ", byName.keySet()),
                    FailureType.UNKNOWN_ENVIRONMENT.name());
        }
        return e;
    }

    public Map<String, EnvironmentSettings> all() {
        return byName;
    }

    public static Connection connect(EnvironmentSettings e, String applicationName) throws PatchEngineException {
        return Databases.connect(e.jdbcUrl(), e.user(), e.password(), applicationName);
    }

    /**
     * The maintenance database, where the gate is closed and opened: its statements are short, so a read waits at
     * most {@link #MAINTENANCE_SOCKET_TIMEOUT} (a silent network fails the gate's step instead of hanging it).
     */
    public static Connection connectMaintenance(EnvironmentSettings e, String applicationName)
            throws PatchEngineException {
        return Databases.connect(
                e.maintenanceUrl(), e.user(), e.password(), applicationName, MAINTENANCE_SOCKET_TIMEOUT);
    }

    /** How long a read on a maintenance connection may wait for the server. */
    public static final java.time.Duration MAINTENANCE_SOCKET_TIMEOUT = java.time.Duration.ofSeconds(15);
}
