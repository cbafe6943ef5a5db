package org.fastdowntime.downtime;

import io.temporal.common.SearchAttributeKey;
import java.time.OffsetDateTime;

/**
 * Typed search attributes every downtime workflow upserts, so windows can be found by stage and
 * time.
 */
public final class DowntimeSearchAttributes {
    public static final SearchAttributeKey<String> STAGE = SearchAttributeKey.forKeyword("DowntimeStage");
    public static final SearchAttributeKey<OffsetDateTime> WINDOW =
            SearchAttributeKey.forOffsetDateTime("DowntimeWindow");

    private DowntimeSearchAttributes() {}
}
