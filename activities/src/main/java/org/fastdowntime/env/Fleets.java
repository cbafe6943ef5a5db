package org.fastdowntime.env;

import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.fastdowntime.model.FailureType;
import org.fastdowntime.patch.Databases;
import org.fastdowntime.patch.PatchEngineException;

/**
 * The configured fleets, and their members as environments: {@code fleet/member}, with the settings of the fleet's
 * environment on the member's database. A catalog fleet's members are read from its catalog when asked (and again
 * when a member is not known yet), so a shard added to the catalog is in the next window.
 */
public final class Fleets {
    /** What a member's name may be: it becomes part of environment names, workflow ids and prepared-transaction ids. */
    public static final Pattern MEMBER_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,63}");

    private final Map<String, FleetSettings> byName;
    private final Map<String, EnvironmentSettings> environments;
    /** Each fleet's members as configured (listed, then the template's), by name, in order: made once. */
    private final Map<String, Map<String, FleetSettings.Member>> configured = new TreeMap<>();
    /** Each catalog fleet's members as its catalog last listed them, by name. */
    private final Map<String, Map<String, FleetSettings.Member>> catalogued = new ConcurrentHashMap<>();

    public Fleets(Map<String, FleetSettings> fleets, Map<String, EnvironmentSettings> environments) {
        this.byName = new TreeMap<>(fleets);
        this.environments = environments;
        byName.forEach((name, f) -> {
            Map<String, FleetSettings.Member> members = new LinkedHashMap<>();
            f.members().forEach(m -> members.put(m.name(), m));
            if (f.template() != null) {
                f.template().members().forEach(m -> members.put(m.name(), m));
            }
            configured.put(name, members);
        });
    }

    public static Fleets none() {
        return new Fleets(Map.of(), Map.of());
    }

    public Map<String, FleetSettings> all() {
        return byName;
    }

    public FleetSettings get(String fleet) {
        FleetSettings f = fleet == null ? null : byName.get(fleet);
        if (f == null) {
            throw ApplicationFailure.newNonRetryableFailure(
                    "unknown fleet '" + fleet + "'; configured: "
                            + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet())),
                    FailureType.UNKNOWN_ENVIRONMENT.name());
        }
        return f;
    }

    /** The fleet's members as settings, in order: the canary ones first, then as configured (listed, template, catalog). */
    public List<EnvironmentSettings> members(String fleet) {
        FleetSettings f = get(fleet);
        Map<String, FleetSettings.Member> all = new LinkedHashMap<>(configured.get(fleet));
        if (f.catalog() != null) {
            Map<String, FleetSettings.Member> read = readCatalog(f);
            catalogued.put(f.name(), read);
            all.putAll(read);
        }
        List<EnvironmentSettings> out = new ArrayList<>();
        for (String c : f.canary()) {
            FleetSettings.Member m = all.remove(c);
            if (m == null) {
                throw ApplicationFailure.newNonRetryableFailure(
                        "fleet " + fleet + ": canary '" + c + "' is not one of its members",
                        FailureType.PLAN_INVALID.name());
            }
            out.add(settings(f, m));
        }
        all.values().forEach(m -> out.add(settings(f, m)));
        return out;
    }

    /** The settings of {@code fleet/member}, or null when {@code name} names no member of a configured fleet. */
    public EnvironmentSettings member(String name) {
        int slash = name == null ? -1 : name.indexOf('/');
        if (slash < 0) {
            return null;
        }
        FleetSettings f = byName.get(name.substring(0, slash));
        if (f == null) {
            return null;
        }
        String member = name.substring(slash + 1);
        FleetSettings.Member m = find(f, member);
        if (m == null && f.catalog() != null) {
            catalogued.put(f.name(), readCatalog(f));
            m = find(f, member);
        }
        return m == null ? null : settings(f, m);
    }

    private FleetSettings.Member find(FleetSettings f, String member) {
        FleetSettings.Member m = configured.get(f.name()).get(member);
        return m != null ? m : catalogued.getOrDefault(f.name(), Map.of()).get(member);
    }

    private EnvironmentSettings settings(FleetSettings f, FleetSettings.Member m) {
        return environments.get(f.environment()).member(f.name() + "/" + m.name(), m.jdbcUrl());
    }

    private Map<String, FleetSettings.Member> readCatalog(FleetSettings f) {
        EnvironmentSettings base = environments.get(f.environment());
        Map<String, FleetSettings.Member> out = new LinkedHashMap<>();
        try (Connection c = Databases.connect(
                        f.catalog().jdbcUrl(), base.user(), base.password(), "fastdowntime fleet " + f.name());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(f.catalog().query())) {
            if (rs.getMetaData().getColumnCount() < 2) {
                throw catalogProblem(f, "its query must return two columns (name, jdbc URL)");
            }
            while (rs.next()) {
                String name = rs.getString(1);
                String url = rs.getString(2);
                if (name == null || !MEMBER_NAME.matcher(name).matches() || url == null || url.isBlank()) {
                    throw catalogProblem(
                            f, "row " + (out.size() + 1) + " has no usable name ([A-Za-z0-9_.-]) and URL: " + name);
                }
                if (out.put(name, new FleetSettings.Member(name, url)) != null) {
                    throw catalogProblem(f, "it lists member " + name + " twice");
                }
            }
        } catch (SQLException | PatchEngineException e) {
            throw catalogProblem(f, e.getMessage());
        }
        return out;
    }

    private static ApplicationFailure catalogProblem(FleetSettings f, String why) {
        return ApplicationFailure.newNonRetryableFailure(
                "fleet " + f.name() + ": cannot read its members from the catalog: " + why,
                FailureType.PLAN_INVALID.name());
    }
}
