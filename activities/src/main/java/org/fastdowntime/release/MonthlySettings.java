package org.fastdowntime.release;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An environment's monthly process: the repository (a clone with devel checked out, where the merge
 * is made and whose hook enforces RC mode), its branches and patch folder, the people, the numbers.
 *
 * @param rcStateFile where RC mode lives (default: fastdowntime-rc.json in the repository's git
 *     directory)
 * @param ciStatusUrl optional; {@code {revision}} is replaced; a 2xx answer containing "success"
 *     blesses the merge
 */
public record MonthlySettings(
        Path repository,
        String develBranch,
        String dbStableBranch,
        String patchesPath,
        Path rcStateFile,
        String qastaging,
        Map<String, List<String>> parties,
        List<String> leads,
        String ciStatusUrl,
        String committer,
        Timing timing) {

    /** The process's numbers, Launchpad's by default. */
    public record Timing(
            Duration minNotice,
            Duration confirmLead,
            Duration reminderLead,
            Duration servicesPauseLead,
            Duration mergeLead,
            Duration windowLength,
            Duration estimateOverhead,
            Duration offTrackLimit,
            Duration backupNotice,
            Duration postRolloutWatch,
            Duration ciPollInterval) {

        public static Timing defaults() {
            return new Timing(
                    Duration.ofDays(7),
                    Duration.ofDays(5),
                    Duration.ofHours(4),
                    Duration.ofMinutes(30),
                    Duration.ofHours(48),
                    Duration.ofMinutes(90),
                    Duration.ofMinutes(10),
                    Duration.ofMinutes(30),
                    Duration.ofHours(24),
                    Duration.ofHours(24),
                    Duration.ofMinutes(1));
        }

        /**
         * Every duration times {@code factor}: the same rules on a shorter clock, for a rehearsal of the
         * month in minutes.
         */
        public Timing scaled(double factor) {
            if (!(factor > 0)) {
                throw new IllegalArgumentException("a scale factor must be positive (got " + factor + ")");
            }
            java.util.function.UnaryOperator<Duration> s = d -> Duration.ofNanos(Math.round(d.toNanos() * factor));
            return new Timing(
                    s.apply(minNotice),
                    s.apply(confirmLead),
                    s.apply(reminderLead),
                    s.apply(servicesPauseLead),
                    s.apply(mergeLead),
                    s.apply(windowLength),
                    s.apply(estimateOverhead),
                    s.apply(offTrackLimit),
                    s.apply(backupNotice),
                    s.apply(postRolloutWatch),
                    s.apply(ciPollInterval));
        }

        public Timing withWindowLength(Duration window, Duration overhead) {
            return new Timing(
                    minNotice,
                    confirmLead,
                    reminderLead,
                    servicesPauseLead,
                    mergeLead,
                    window,
                    overhead,
                    offTrackLimit,
                    backupNotice,
                    postRolloutWatch,
                    ciPollInterval);
        }
    }
}
