package switchboard.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import switchboard.callback.RetrySchedule.Outcome;

class RetryScheduleTest {
    private static final ZoneId NY = ZoneId.of("America/New_York");
    private static final Instant T0 = Instant.parse("2026-07-15T14:00:00Z"); // 10:00 in New York

    private static RetrySchedule.Policy policy(double jitter, int maxAttempts, int perDay) {
        var d = List.of(Duration.ofMinutes(2), Duration.ofMinutes(10));
        return new RetrySchedule.Policy(
                Map.of(
                        Outcome.BUSY,
                        d,
                        Outcome.NO_ANSWER,
                        List.of(Duration.ofMinutes(5)),
                        Outcome.FAILED,
                        d,
                        Outcome.MACHINE,
                        d),
                2.0,
                jitter,
                Duration.ofMinutes(30),
                maxAttempts,
                perDay);
    }

    private static Duration delayOf(RetrySchedule.Next n) {
        return assertInstanceOf(RetrySchedule.RetryAt.class, n).delay();
    }

    @Test
    void delaysFollowTheListThenBackOffToTheCap() {
        var s = new RetrySchedule(policy(0, 10, 10));
        assertEquals(Duration.ofMinutes(2), delayOf(s.after(Outcome.BUSY, 1, List.of(T0), T0, NY, 1)));
        assertEquals(Duration.ofMinutes(10), delayOf(s.after(Outcome.BUSY, 2, List.of(T0), T0, NY, 1)));
        assertEquals(Duration.ofMinutes(20), delayOf(s.after(Outcome.BUSY, 3, List.of(T0), T0, NY, 1)));
        assertEquals(
                Duration.ofMinutes(30),
                delayOf(s.after(Outcome.BUSY, 4, List.of(T0), T0, NY, 1)),
                "capped at maxDelay");
        assertEquals(
                Duration.ofMinutes(5),
                delayOf(s.after(Outcome.NO_ANSWER, 1, List.of(T0), T0, NY, 1)),
                "each outcome has its own list");
    }

    @Test
    void jitterIsBoundedAndDeterministicPerSeed() {
        var s = new RetrySchedule(policy(0.1, 10, 10));
        var a = delayOf(s.after(Outcome.BUSY, 2, List.of(), T0, NY, 42));
        assertEquals(
                a, delayOf(s.after(Outcome.BUSY, 2, List.of(), T0, NY, 42)), "same seed, same delay (replays agree)");
        assertNotEquals(a, delayOf(s.after(Outcome.BUSY, 2, List.of(), T0, NY, 43)));
        for (long seed = 0; seed < 200; seed++) {
            long ms = delayOf(s.after(Outcome.BUSY, 2, List.of(), T0, NY, seed)).toMillis();
            assertTrue(ms >= 540_000 && ms <= 660_000, "10 min ± 10 %: " + ms);
        }
    }

    @Test
    void theAttemptCapEndsTheRecovery() {
        var s = new RetrySchedule(policy(0, 3, 10));
        assertInstanceOf(RetrySchedule.RetryAt.class, s.after(Outcome.NO_ANSWER, 2, List.of(T0, T0), T0, NY, 1));
        var g = assertInstanceOf(
                RetrySchedule.GiveUp.class, s.after(Outcome.NO_ANSWER, 3, List.of(T0, T0, T0), T0, NY, 1));
        assertTrue(g.why().contains("3 attempts"), g.why());
    }

    @Test
    void theDailyCapMovesTheRetryToTheNextLocalDay() {
        var s = new RetrySchedule(policy(0, 10, 2));
        var today = List.of(T0.minusSeconds(3600), T0);
        var r = assertInstanceOf(RetrySchedule.RetryAt.class, s.after(Outcome.BUSY, 2, today, T0, NY, 1));
        assertEquals(
                Instant.parse("2026-07-16T04:00:00Z"),
                r.at(),
                "midnight in New York; the calling window moves it to the morning");
    }

    @Test
    void badPoliciesAreClearErrors() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> new RetrySchedule.Policy(
                        Map.of(Outcome.BUSY, List.of(Duration.ofMinutes(1))), 2, 0.1, Duration.ofHours(1), 3, 3));
        assertTrue(e.getMessage().contains("NO_ANSWER") || e.getMessage().contains("missing"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> policy(1.5, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> policy(0.1, 0, 3));
        RetrySchedule.Policy.defaults(); // the defaults are valid
    }
}
