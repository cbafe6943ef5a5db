package org.fastdowntime.ports;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;
import org.fastdowntime.model.Announcement;

/** The window's dealings with people and services: announcements, background jobs, post-checks. */
@ActivityInterface
public interface WindowActivities {

    @ActivityMethod(name = "Announce")
    void announce(Announcement announcement);

    /** Runs the environment's quiesce hooks (commands or HTTP calls); returns what each did. */
    @ActivityMethod(name = "QuiesceBackgroundJobs")
    List<String> quiesce(String environment);

    @ActivityMethod(name = "ResumeBackgroundJobs")
    List<String> resume(String environment);

    /** Configured URLs answer 2xx and the smoke query succeeds; fails POST_CHECK_FAILED otherwise. */
    @ActivityMethod(name = "PostChecks")
    List<String> postChecks(String environment);
}
