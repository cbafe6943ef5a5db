package org.fastdowntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** start, status and the timeline of a window started closer than its leads, on the real server. */
class ShortNoticeStartTest extends RealServerClients {
    @Override
    TestWorkerYaml config(TestWorkerYaml yaml) {
        return yaml.budget("qaLead", "10s").budget("quiesceLead", "10s");
    }

    /**
     * A window started closer than its leads (QA and quiesce leads of 10 s here) says so when it starts, in its status and
     * in its announcement, with the time background jobs actually got.
     */
    @Test
    void aWindowAtShortNoticeSaysWhatItsLeadsGot() throws Exception {
        String at = java.time.Instant.now()
                .plusSeconds(5)
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .toString();
        Run start = run(true, "start", "fast-downtime", "--environment", "prod", "--at", at, "--patch", "2300-01-0");
        assertEquals(0, start.exit(), start.out());
        assertTrue(
                start.out().contains("warning: short notice: quiesce lead shortened: background jobs are quiesced"),
                start.out());
        String id = start.out()
                .lines()
                .filter(l -> l.startsWith("fast-downtime-"))
                .findFirst()
                .orElseThrow();
        Run status = run(false, "status", id);
        assertTrue(status.out().contains("  warning: quiesce lead shortened:"), status.out());
        assertTrue(status.out().contains("Short notice: quiesce lead shortened"), "on the timeline: " + status.out());
        temporal.temporal("workflow", "terminate", "--workflow-id", id, "--reason", "test");
    }
}
