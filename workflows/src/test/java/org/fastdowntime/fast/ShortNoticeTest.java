package org.fastdowntime.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.fastdowntime.model.EnvironmentPolicy;
import org.fastdowntime.model.TestPolicies;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What a window's start takes from its leads: quiesce 1 h, preflight 30 s, arm 5 s, QA lead 1 h. */
@Tag("unit")
class ShortNoticeTest {
    private final EnvironmentPolicy policy = TestPolicies.production();
    private final Instant now = Instant.parse("2026-12-07T08:00:00Z");

    @Test
    void aWindowTwoMinutesAheadTakesEveryLeadDownToNothingAndSaysSo() {
        Instant start = now.plus(Duration.ofMinutes(2));
        Instant qaDeadline = WindowRequest.qaDeadline(start, now, policy.qaLead()); // the window's start itself
        ShortNotice n = ShortNotice.plan(start, qaDeadline, policy);
        assertEquals(
                List.of(
                        "quiesce lead shortened: background jobs are quiesced 0s before the window at worst, not 1h",
                        "preflight lead shortened: the preflight runs 0s before the window at worst, not 30s",
                        "arm lead shortened: the outage arms 0s before the window at worst, not 5s"),
                n.warnings());
        assertEquals(
                " Short notice: quiesce lead shortened: background jobs are quiesced 0s before the window at worst, not"
                        + " 1h; preflight lead shortened: the preflight runs 0s before the window at worst, not 30s;"
                        + " arm lead shortened: the outage arms 0s before the window at worst, not 5s.",
                n.said());
    }

    @Test
    void aWindowWhoseQaClosesLateGivesBackgroundJobsWhatIsLeft() {
        Instant start = now.plus(Duration.ofMinutes(90));
        Instant qaDeadline = start.minus(Duration.ofMinutes(20)); // as if the QA lead were 20 minutes
        ShortNotice n = ShortNotice.plan(start, qaDeadline, policy);
        assertEquals(
                List.of("quiesce lead shortened: background jobs are quiesced 20m before the window at worst, not 1h"),
                n.warnings());
    }

    @Test
    void aQaLeadShorterThanTheQuiesceLeadIsTheConfigsOwnOrderNotShortNotice() {
        EnvironmentPolicy shortQa = new EnvironmentPolicy(
                "test",
                List.of("alice"),
                List.of(),
                false,
                Duration.ofSeconds(15),
                Duration.ofMinutes(5),
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                Duration.ofSeconds(1),
                Duration.ofMillis(500),
                Duration.ofSeconds(15),
                false);
        Instant start = now.plus(Duration.ofDays(1));
        assertTrue(ShortNotice.plan(start, WindowRequest.qaDeadline(start, now, shortQa.qaLead()), shortQa)
                .warnings()
                .isEmpty());
        assertEquals(Duration.ofSeconds(1), ShortNotice.nominalQuiesce(shortQa));
    }

    @Test
    void aWindowWithRoomForEveryLeadSaysNothing() {
        Instant start = now.plus(Duration.ofHours(3));
        ShortNotice n = ShortNotice.plan(start, WindowRequest.qaDeadline(start, now, policy.qaLead()), policy);
        assertTrue(n.warnings().isEmpty());
        assertEquals("", n.said());
    }

    @Test
    void whatAStepGotIsSaidOnlyWhenItIsLessThanItsLead() {
        Instant start = now.plus(Duration.ofMinutes(1)).plusSeconds(57);
        assertEquals(
                "Short notice: background jobs were quiesced 1m 57s before the window, not the configured 1h.",
                ShortNotice.took("background jobs were quiesced", start, now, Duration.ofHours(1)));
        assertNull(ShortNotice.took("background jobs were quiesced", start, now, Duration.ofMinutes(1)));
        assertEquals("1h 2m", ShortNotice.human(Duration.ofMinutes(62)));
        assertEquals("0s", ShortNotice.human(Duration.ofSeconds(-3)));
    }
}
