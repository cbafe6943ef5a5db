package org.fastdowntime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What is signed is exactly the canonical text, and only that text reads back as a statement. */
@Tag("unit")
class StatementTextTest {
    private static final String SHA = "a".repeat(64);
    private static final String NONCE = "0123456789abcdef0123456789abcdef";
    private static final Instant AT = Instant.parse("2026-12-06T08:00:00Z");

    @Test
    void aStatementReadsBackFromItsOwnTextAndFromNothingElse() {
        ApprovalStatement s =
                new ApprovalStatement("prod", "2300-01-0", SHA, LedgerWord.QA_OK, "alice", AT, NONCE, "fine");
        assertEquals(s, ApprovalStatement.parse(s.text()));
        assertTrue(s.text().startsWith("fastdowntime approval v1\nenvironment: prod\npatch: 2300-01-0\n"), s.text());

        String reordered =
                s.text().replace("environment: prod\npatch: 2300-01-0\n", "patch: 2300-01-0\nenvironment: prod\n");
        assertTrue(refusal(reordered).contains("in that order"), refusal(reordered));
        assertTrue(refusal(s.text() + "extra: line\n").contains("in that order"));
        assertTrue(refusal(s.text().replace("time: 2026-12-06T08:00:00Z", "time: 2026-12-06T08:00:00.000Z"))
                .contains("canonical"));
        assertTrue(refusal(s.text().replace("verdict: qaOk", "verdict: maybe")).contains("unknown verdict"));
        assertTrue(refusal(s.text().replace(SHA, "A".repeat(64))).contains("sha256 must be"));
        assertTrue(refusal("fastdowntime revision qa-ok v1\n").contains("not a statement"));
    }

    @Test
    void aRevisionQaOkHasItsOwnHeaderAndFields() {
        RevisionStatement s = new RevisionStatement("prod", "4f2a9c1e07", "alice", AT, NONCE, null);
        assertEquals(s, RevisionStatement.parse(s.text()));
        assertNull(s.problem());
        assertEquals(
                "the revision must be 7 to 64 lowercase hex digits",
                new RevisionStatement("prod", "4F2A", "alice", AT, NONCE, null).problem());
        assertThrows(IllegalArgumentException.class, () -> ApprovalStatement.parse(s.text()));
    }

    @Test
    void aStatementIsFreshForTenMinutesEitherWay() {
        assertNull(StatementText.staleness(AT, AT.plusSeconds(599)));
        assertNull(StatementText.staleness(AT, AT.minusSeconds(599)));
        assertTrue(StatementText.staleness(AT, AT.plusSeconds(601)).contains("sign a new one"));
    }

    private static String refusal(String text) {
        return assertThrows(IllegalArgumentException.class, () -> ApprovalStatement.parse(text))
                .getMessage();
    }
}
