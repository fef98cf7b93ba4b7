package switchboard.callback;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import switchboard.lead.LeadSource;

/** The governor's rule for read-side rows that lag behind its own last attempt (the race bench-callbacks caught). */
class OurAttemptTest {
    private static final String ATTEMPT = "default:+19195550601#1/2";

    private static PendingRecovery row(int attempts, String inFlight) {
        return new PendingRecovery(
                "default:+19195550601",
                "default:+19195550601#1",
                "+19195550601",
                LeadSource.LSA,
                "ABANDONED",
                Instant.parse("2026-07-14T15:00:00Z"),
                1,
                attempts,
                inFlight,
                null,
                null,
                null,
                false,
                false);
    }

    @Test
    void rowsOlderThanOurLastAttemptAreStale() {
        var mine = new GovernorActor.OurAttempt(2, ATTEMPT);
        assertTrue(mine.staler(row(1, null)), "read before attempt 2 was stored: do not release it again");
        assertFalse(mine.staler(row(2, ATTEMPT)), "in flight and not ended by us: a real in-flight attempt");
        mine.ended = true;
        assertTrue(
                mine.staler(row(2, ATTEMPT)), "still shown in flight after we ended it: stale, not a crash leftover");
        assertFalse(mine.staler(row(2, null)), "the read side has caught up");
        assertFalse(mine.staler(row(3, "default:+19195550601#1/3")), "a later attempt is not ours to judge");
    }
}
