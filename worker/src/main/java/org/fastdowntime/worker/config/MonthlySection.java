package org.fastdowntime.worker.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.env.Records;
import org.fastdowntime.release.MonthlySettings;
import org.fastdowntime.worker.config.RawConfig.RawMonthly;

/** A {@code monthly:} entry: the repository and branches of the monthly process, its parties and its clock. */
final class MonthlySection extends Sections {
    MonthlySection(Sections shared) {
        super(shared);
    }

    /** A monthly entry: its timing by name (each default where not written), the rest as {@link RawMonthly}. */
    MonthlySettings read(String key, ObjectNode entry, Map<String, EnvironmentSettings> envs) {
        ObjectNode rest = entry.deepCopy();
        Map<String, JsonNode> timing = new LinkedHashMap<>();
        for (String name : Records.names(MonthlySettings.Timing.class)) {
            JsonNode value = rest.remove(name);
            if (value != null) {
                timing.put(name, value);
            }
        }
        int before = problems.count();
        MonthlySettings.Timing t = Records.with(
                MonthlySettings.Timing.defaults(),
                NamedSettings.read(key, timing, MonthlySettings.Timing.class, "setting", problems));
        RawMonthly m;
        try {
            m = ConfigYaml.MAPPER.treeToValue(rest, RawMonthly.class);
        } catch (JsonMappingException e) {
            String at = ConfigYaml.keyOf(e);
            problems.add(
                    at.isEmpty() ? key : key + "." + at,
                    ConfigYaml.messageOf(e, Records.names(MonthlySettings.Timing.class)));
            return null;
        } catch (JsonProcessingException e) {
            problems.add(key, e.getOriginalMessage());
            return null;
        }
        Path repo = null;
        if (m.repository() == null) {
            problems.add(key + ".repository", "required (a clone with devel checked out)");
        } else {
            repo = base.resolve(m.repository()).normalize();
            if (!Files.isDirectory(repo.resolve(".git"))) {
                problems.add(key + ".repository", repo + " is not a git working tree");
            }
        }
        if (m.qastaging() != null && !envs.containsKey(m.qastaging())) {
            problems.add(key + ".qastaging", "no environment named '" + m.qastaging() + "'");
        }
        if (m.parties() == null || m.parties().isEmpty()) {
            problems.add(key + ".parties", "at least one confirming party (name: [people])");
        }
        if (m.leads() == null || m.leads().isEmpty()) {
            problems.add(key + ".leads", "at least one lead");
        }
        if (problems.count() > before) {
            return null;
        }
        return new MonthlySettings(
                repo,
                or(m.develBranch(), "devel"),
                or(m.dbStableBranch(), "db-stable"),
                or(m.patchesPath(), "database/schema"),
                m.rcStateFile() == null ? null : base.resolve(m.rcStateFile()),
                m.qastaging(),
                Map.copyOf(m.parties()),
                List.copyOf(m.leads()),
                m.ciStatusUrl(),
                m.committer(),
                t);
    }
}
