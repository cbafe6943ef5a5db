package org.fastdowntime.gate;

import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.pgbouncer.PgBouncerGate;

/** The gate an environment is configured with: PostgreSQL's own, or pgbouncer's in front of it. */
public final class Gates {
    private Gates() {}

    public static ConnectionGate of(EnvironmentSettings env, String applicationName) {
        NativeGate direct = new NativeGate(env, applicationName);
        return env.pgbouncer() == null ? direct : new PgBouncerGate(env.pgbouncer(), direct);
    }
}
