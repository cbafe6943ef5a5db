package org.fastdowntime.worker.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fastdowntime.env.ApprovalSettings;
import org.fastdowntime.env.Hook;
import org.fastdowntime.env.StandbySettings;
import org.fastdowntime.patch.Grant;
import org.fastdowntime.pgbouncer.PgBouncerSettings;
import org.fastdowntime.sign.AllowedSigners;
import org.fastdowntime.sign.SigningException;
import org.fastdowntime.worker.config.RawConfig.RawEnvironment;
import org.fastdowntime.worker.config.RawConfig.RawGrant;
import org.fastdowntime.worker.config.RawConfig.RawHook;
import org.fastdowntime.worker.config.RawConfig.RawPgBouncer;
import org.fastdowntime.worker.config.RawConfig.RawStandby;

/** The lists and sub-sections of an environment: hooks, grants, repeatable scripts, standbys and pgbouncer. */
final class EnvironmentParts extends Sections {
    private static final Duration HOOK_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PAUSE_TIMEOUT = Duration.ofSeconds(5);

    EnvironmentParts(Sections shared) {
        super(shared);
    }

    List<Hook> hooks(String key, List<RawHook> raw) {
        List<Hook> out = new ArrayList<>();
        for (int i = 0; raw != null && i < raw.size(); i++) {
            RawHook h = raw.get(i);
            boolean cmd = h != null && h.command() != null && !h.command().isEmpty();
            boolean url = h != null && h.url() != null;
            if (cmd == url) {
                problems.add(key + "[" + i + "]", "give exactly one of command (a list of arguments) or url");
                continue;
            }
            out.add(new Hook(h.command(), h.url(), h.method(), or(h.timeout(), HOOK_TIMEOUT)));
        }
        return out;
    }

    List<Grant> grants(String key, List<RawGrant> raw) {
        List<Grant> out = new ArrayList<>();
        for (int i = 0; raw != null && i < raw.size(); i++) {
            RawGrant g = raw.get(i);
            try {
                if (g == null) {
                    throw new IllegalArgumentException("empty");
                }
                out.add(new Grant(g.role(), g.tables(), g.sequences()));
            } catch (IllegalArgumentException ex) {
                problems.add(key + "[" + i + "]", ex.getMessage());
            }
        }
        return out;
    }

    /** File names in the patch folder, never patches. */
    List<String> scripts(String key, List<String> scripts) {
        for (int i = 0; i < scripts.size(); i++) {
            String f = scripts.get(i);
            if (f == null
                    || f.isBlank()
                    || f.contains("/")
                    || f.toLowerCase(Locale.ROOT).startsWith("patch-")) {
                problems.add(key + "[" + i + "]", "a file name in the patch folder, not a patch");
            }
        }
        return List.copyOf(scripts);
    }

    StandbySettings standbys(String key, RawEnvironment e) {
        List<StandbySettings.Standby> named = new ArrayList<>();
        List<RawStandby> raw = e.standbys() == null ? List.of() : e.standbys();
        for (int i = 0; i < raw.size(); i++) {
            RawStandby r = raw.get(i);
            try {
                if (r == null) {
                    throw new IllegalArgumentException("empty");
                }
                if (r.jdbcUrl() != null && !r.jdbcUrl().startsWith("jdbc:postgresql://")) {
                    throw new IllegalArgumentException("jdbcUrl must be jdbc:postgresql://host:port/database");
                }
                PgBouncerSettings pool = r.pgbouncer() == null
                        ? null
                        : pgbouncerSection(key + ".standbys[" + i + "].pgbouncer", r.pgbouncer());
                named.add(new StandbySettings.Standby(r.name(), r.jdbcUrl(), pool));
            } catch (IllegalArgumentException ex) {
                problems.add(key + ".standbys[" + i + "]", ex.getMessage());
            }
        }
        int count = e.standbyCount() == null ? 0 : e.standbyCount();
        if (count < 0) {
            problems.add(key + ".standbyCount", "cannot be negative");
            count = 0;
        }
        return new StandbySettings(named, count);
    }

    /** The gate: native (the default without a pgbouncer section) or pgbouncer, with its admin console. */
    PgBouncerSettings pgbouncer(String key, RawEnvironment e) {
        String gate = e.gate() == null ? (e.pgbouncer() == null ? "native" : "pgbouncer") : e.gate();
        if (!gate.equals("native") && !gate.equals("pgbouncer")) {
            problems.add(key + ".gate", "native or pgbouncer, not '" + gate + "'");
            return null;
        }
        RawPgBouncer p = e.pgbouncer();
        if (gate.equals("native")) {
            if (p != null) {
                problems.add(key + ".pgbouncer", "configured, but gate is native");
            }
            return null;
        }
        if (p == null) {
            problems.add(key + ".pgbouncer", "required when gate is pgbouncer (host, port, adminUser, databases)");
            return null;
        }
        return pgbouncerSection(key + ".pgbouncer", p);
    }

    /** A {@code pgbouncer:} section: the gate's, or the one in front of a standby. */
    private PgBouncerSettings pgbouncerSection(String k, RawPgBouncer p) {
        if (p.databases() == null || p.databases().isEmpty()) {
            problems.add(k + ".databases", "the pgbouncer databases that point at this environment's database");
            return null;
        }
        String password = secrets.resolve(k, "adminPassword", p.adminPasswordEnv(), p.adminPasswordFile());
        try {
            return new PgBouncerSettings(
                    or(p.host(), "127.0.0.1"),
                    p.port() == null ? 6432 : p.port(),
                    or(p.adminUser(), "pgbouncer"),
                    password,
                    p.databases(),
                    or(p.pauseTimeout(), PAUSE_TIMEOUT));
        } catch (IllegalArgumentException ex) {
            problems.add(k + ".databases", ex.getMessage());
            return null;
        }
    }

    /** Named approvals unless {@code require: signed}, which needs a readable allowed-signers file. */
    ApprovalSettings approvals(String key, RawConfig.RawApprovals raw) {
        if (raw == null || raw.require() == null || raw.require().equalsIgnoreCase("named")) {
            if (raw != null && raw.allowedSigners() != null) {
                problems.add(key + ".allowedSigners", "only read with require: signed");
            }
            return ApprovalSettings.named();
        }
        if (!raw.require().equalsIgnoreCase("signed")) {
            problems.add(key + ".require", "one of named, signed (got '" + raw.require() + "')");
            return null;
        }
        if (raw.allowedSigners() == null || raw.allowedSigners().isBlank()) {
            problems.add(key + ".allowedSigners", "required with require: signed (OpenSSH's allowed-signers file)");
            return null;
        }
        Path file = base.resolve(raw.allowedSigners()).normalize();
        try {
            if (AllowedSigners.read(file).size() == 0) {
                problems.add(key + ".allowedSigners", file + " names nobody: no verdict could ever be recorded");
                return null;
            }
        } catch (SigningException ex) {
            problems.add(key + ".allowedSigners", ex.getMessage());
            return null;
        }
        return new ApprovalSettings(ApprovalSettings.Require.SIGNED, file);
    }
}
