package org.fastdowntime.worker.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.env.FleetSettings;
import org.fastdowntime.env.Fleets;
import org.fastdowntime.model.FailurePolicy;
import org.fastdowntime.model.FleetMode;
import org.fastdowntime.worker.config.RawConfig.RawFleet;
import org.fastdowntime.worker.config.RawConfig.RawMember;
import org.fastdowntime.worker.config.RawConfig.RawTemplate;

/**
 * A {@code fleets:} entry: the environment whose settings its members share, its members (listed, a template over a
 * range, a catalog query), the canary, parallelism, failure policy and mode. Defaults: parallelism 5, failure policy
 * stop, mode waves.
 */
final class FleetSection extends Sections {
    static final int DEFAULT_PARALLELISM = 5;

    FleetSection(Sections shared) {
        super(shared);
    }

    Map<String, FleetSettings> read(Map<String, RawFleet> raw, Map<String, EnvironmentSettings> envs) {
        Map<String, FleetSettings> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        raw.forEach((name, f) -> {
            FleetSettings s = fleet(name, f, envs);
            if (s != null) {
                out.put(name, s);
            }
        });
        return out;
    }

    private FleetSettings fleet(String name, RawFleet f, Map<String, EnvironmentSettings> envs) {
        String key = "fleets." + name;
        if (f == null) {
            problems.add(key, "empty");
            return null;
        }
        int before = problems.count();
        if (!Fleets.MEMBER_NAME.matcher(name).matches()) {
            problems.add(key, "a fleet's name may hold only letters, digits, '_', '.' and '-'");
        }
        environment(key, f.environment(), envs);
        List<FleetSettings.Member> listed = members(key, f.members());
        FleetSettings.Template template = template(key + ".template", f.template());
        FleetSettings.Catalog catalog = null;
        if (f.catalog() != null) {
            url(key + ".catalog.jdbcUrl", f.catalog().jdbcUrl());
            if (f.catalog().query() == null || f.catalog().query().isBlank()) {
                problems.add(key + ".catalog.query", "required: a query returning (name, jdbc URL) rows");
            }
            catalog =
                    new FleetSettings.Catalog(f.catalog().jdbcUrl(), f.catalog().query());
        }
        if (listed.isEmpty() && template == null && catalog == null) {
            problems.add(key, "no members: give members, a template or a catalog");
        }
        Set<String> known = new LinkedHashSet<>();
        listed.forEach(m -> known.add(m.name()));
        if (template != null && problems.count() == before) {
            template.members().forEach(m -> known.add(m.name()));
        }
        List<String> canary = list(f.canary(), List.of());
        if (catalog == null) {
            canary.stream()
                    .filter(c -> !known.contains(c))
                    .forEach(c -> problems.add(key + ".canary", "'" + c + "' is not one of its members"));
        }
        int parallelism = f.parallelism() == null ? DEFAULT_PARALLELISM : f.parallelism();
        if (parallelism < 1) {
            problems.add(key + ".parallelism", "must be at least 1");
        }
        FailurePolicy policy = f.failurePolicy() == null ? FailurePolicy.STOP : FailurePolicy.parse(f.failurePolicy());
        if (policy == null) {
            problems.add(key + ".failurePolicy", "stop or continue, not '" + f.failurePolicy() + "'");
        }
        FleetMode mode = f.mode() == null ? FleetMode.WAVES : FleetMode.parse(f.mode());
        if (mode == null) {
            problems.add(key + ".mode", "waves or atomic, not '" + f.mode() + "'");
        }
        if (problems.count() > before) {
            return null;
        }
        return new FleetSettings(name, f.environment(), listed, template, catalog, canary, parallelism, policy, mode);
    }

    private void environment(String key, String env, Map<String, EnvironmentSettings> envs) {
        EnvironmentSettings e = env == null ? null : envs.get(env);
        if (e == null) {
            if (env == null || !problems.anyAt("environments." + env)) {
                problems.add(
                        key + ".environment",
                        env == null
                                ? "required: the environment whose settings the members share"
                                : "no environment named '" + env + "'");
            }
            return;
        }
        if (e.pgbouncer() != null) {
            problems.add(key + ".environment", env + " uses the pgbouncer gate; fleet members use the native gate");
        }
        if (!e.standbys().expected().isEmpty() || e.standbys().count() > 0) {
            problems.add(key + ".environment", env + " has standbys; fleet members have none of their own yet");
        }
    }

    private List<FleetSettings.Member> members(String key, List<RawMember> raw) {
        List<FleetSettings.Member> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; raw != null && i < raw.size(); i++) {
            RawMember m = raw.get(i);
            String at = key + ".members[" + i + "]";
            if (m == null
                    || m.name() == null
                    || !Fleets.MEMBER_NAME.matcher(m.name()).matches()) {
                problems.add(at + ".name", "required: letters, digits, '_', '.' and '-' (at most 63)");
                continue;
            }
            if (!seen.add(m.name())) {
                problems.add(at + ".name", "'" + m.name() + "' is listed twice");
            }
            if (url(at + ".jdbcUrl", m.jdbcUrl())) {
                out.add(new FleetSettings.Member(m.name(), m.jdbcUrl()));
            }
        }
        return out;
    }

    private FleetSettings.Template template(String key, RawTemplate t) {
        if (t == null) {
            return null;
        }
        int before = problems.count();
        if (url(key + ".jdbcUrl", t.jdbcUrl()) && !t.jdbcUrl().contains("{n}")) {
            problems.add(key + ".jdbcUrl", "must hold {n}, the member's number");
        }
        String name = t.name() == null ? "{n}" : t.name();
        if (!name.contains("{n}")) {
            problems.add(key + ".name", "must hold {n}, the member's number");
        }
        if (t.from() == null || t.to() == null || t.from() < 0 || t.to() < t.from()) {
            problems.add(key, "from and to are required, 0 ≤ from ≤ to");
        } else if (t.to() - t.from() >= 100_000) {
            problems.add(key, "at most 100000 members");
        }
        int digits = t.digits() == null ? 0 : t.digits();
        if (digits < 0 || digits > 9) {
            problems.add(key + ".digits", "0 (no padding) to 9");
        }
        if (problems.count() > before) {
            return null;
        }
        return new FleetSettings.Template(t.jdbcUrl(), name, t.from(), t.to(), digits);
    }

    private boolean url(String key, String url) {
        if (url == null || !url.startsWith("jdbc:postgresql://")) {
            problems.add(key, "required, jdbc:postgresql://host:port/database");
            return false;
        }
        if (url.toLowerCase(Locale.ROOT).contains("password=")) {
            problems.add(key, "must not contain a password; the members use the environment's credentials");
            return false;
        }
        return true;
    }
}
