package org.fastdowntime.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The bench's interval of a ratio of medians says how much the repeats' spread leaves of it. */
@Tag("unit")
class RatioIntervalTest {
    @Test
    void outagesTwiceAsLongInEveryRepeatGiveTwoAndNothingElse() {
        double[] baseline = {100, 140, 90, 210, 120};
        double[] ours = {200, 280, 180, 420, 240};
        assertArrayEquals(new double[] {2, 2}, Statistics.ratioInterval(ours, baseline), 1e-9);
    }

    @Test
    void aSpreadOfRepeatsWidensTheIntervalAroundTheRatio() {
        double[] baseline = {154, 228, 201, 259, 177, 241, 222};
        double[] ours = {193, 206, 229, 256, 244, 280, 196};
        double ratio = Statistics.median(ours) / Statistics.median(baseline);
        double[] interval = Statistics.ratioInterval(ours, baseline);
        assertTrue(
                interval[0] < ratio && ratio < interval[1], "around " + ratio + ": " + interval[0] + "-" + interval[1]);
        assertTrue(interval[0] < 1 && interval[1] > 1, "these repeats cannot tell 1.03 from 1.0");
        assertArrayEquals(interval, Statistics.ratioInterval(ours, baseline), "the same repeats, the same interval");
    }
}
