package org.fastdowntime.worker.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fastdowntime.env.EnvironmentSettings;
import org.fastdowntime.release.MonthlySettings;
import org.fastdowntime.worker.config.RawConfig.RawMonthly;

/** A {@code monthly:} entry: the repository and branches of the monthly process, its parties and its clock. */
final class MonthlySection extends Sections {
    MonthlySection(Sections shared) {
        super(shared);
    }

    MonthlySettings read(String key, RawMonthly m, Map<String, EnvironmentSettings> envs) {
        int before = problems.count();
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
                timing(m));
    }

    /** The monthly clock: each duration as written, else its default. */
    private static MonthlySettings.Timing timing(RawMonthly m) {
        MonthlySettings.Timing d = MonthlySettings.Timing.defaults();
        return new MonthlySettings.Timing(
                or(m.minNotice(), d.minNotice()),
                or(m.confirmLead(), d.confirmLead()),
                or(m.reminderLead(), d.reminderLead()),
                or(m.servicesPauseLead(), d.servicesPauseLead()),
                or(m.mergeLead(), d.mergeLead()),
                or(m.windowLength(), d.windowLength()),
                or(m.estimateOverhead(), d.estimateOverhead()),
                or(m.offTrackLimit(), d.offTrackLimit()),
                or(m.backupNotice(), d.backupNotice()),
                or(m.postRolloutWatch(), d.postRolloutWatch()),
                or(m.ciPollInterval(), d.ciPollInterval()));
    }
}
