package org.fastdowntime.announce;

import org.fastdowntime.model.Announcement;

/** One place announcements go. {@link #deliver} throws when the announcement did not get there. */
public interface Channel {
    /**
     * For reports and idempotency: {@code webhook https://…}, {@code email ops@…}, {@code feed
     * production}.
     */
    String name();

    void deliver(Announcement a) throws Exception;
}
