package org.fastdowntime.model;

import java.util.List;

/**
 * The one JSON input of a MonthlyDowntime: {@code
 * {"environment":"production","main":"2026-12-08T22:00:00Z","backup":"2026-12-10T22:00:00Z",
 * "dbStable":"db-stable","parties":["stakeholders","operations","dba"],"cowboys":["fix-librarian-timeout"]}}.
 *
 * @param dbStable the db-stable branch or revision to merge from (default: the configured branch)
 * @param parties who must confirm the windows (default: every configured party)
 * @param cowboys production hot-fixes to account for before the rollout
 */
public record MonthlyDowntimeRequest(
        String environment, String main, String backup, String dbStable, List<String> parties, List<String> cowboys) {
    public MonthlyDowntimeRequest {
        parties = parties == null ? List.of() : List.copyOf(parties);
        cowboys = cowboys == null ? List.of() : List.copyOf(cowboys);
    }
}
