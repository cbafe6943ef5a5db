package org.fastdowntime.gate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named points of the outage where the fault-matrix tests freeze a worker process, to kill it
 * exactly there. Off unless the worker's environment names one: {@code
 * FASTDOWNTIME_FAILPOINT=gate-closed} (the point), {@code FASTDOWNTIME_FAILPOINT_DIR} (where {@code
 * <point>.reached} is written when it is reached) and optionally {@code
 * FASTDOWNTIME_FAILPOINT_HOLD} (how long to stay there, default 10 minutes; then the outage goes
 * on). A production worker never has these set; when one is set, the worker says so at every point
 * it reaches.
 */
public final class FailPoints {
    private static final Logger log = LoggerFactory.getLogger(FailPoints.class);
    private static final String ACTIVE = System.getenv("FASTDOWNTIME_FAILPOINT");
    private static final String DIR = System.getenv("FASTDOWNTIME_FAILPOINT_DIR");
    private static final String HOLD = System.getenv("FASTDOWNTIME_FAILPOINT_HOLD");

    /** Every point, in the order an outage passes them. */
    public static final String BEFORE_GATE = "before-gate";

    public static final String GATE_CLOSED = "gate-closed";
    public static final String KICK = "kick";
    public static final String BEFORE_COMMIT = "before-commit";
    public static final String AFTER_COMMIT = "after-commit";
    /** A fleet member's transaction is prepared; the worker holds before returning. */
    public static final String AFTER_PREPARE = "after-prepare";
    /** A fleet's decision is being carried out: before one member's COMMIT or ROLLBACK PREPARED. */
    public static final String BEFORE_FINISH = "before-finish";

    public static final String POST_CHECKS = "post-checks";

    private FailPoints() {}

    public static void reach(String name) {
        if (ACTIVE == null || !ACTIVE.equals(name)) {
            return;
        }
        log.warn("Fail point {} reached: holding here (FASTDOWNTIME_FAILPOINT is set)", name);
        try {
            if (DIR != null) {
                Files.writeString(
                        Path.of(DIR, name + ".reached"), ProcessHandle.current().pid() + "\n");
            }
            Thread.sleep(
                    HOLD == null
                            ? Duration.ofMinutes(10).toMillis()
                            : org.fastdowntime.time.Durations.parse(HOLD).toMillis());
        } catch (IOException e) {
            log.error("Fail point {}: cannot write its marker: {}", name, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.warn("Fail point {} released", name);
    }
}
