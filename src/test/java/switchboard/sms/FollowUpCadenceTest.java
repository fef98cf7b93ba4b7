package switchboard.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import switchboard.callback.CallingWindow;
import switchboard.lead.RecoveryStatus;
import switchboard.sms.FollowUpCadence.Due;
import switchboard.sms.FollowUpCadence.Stop;

class FollowUpCadenceTest {
    private static final ZoneId EASTERN = ZoneId.of("America/New_York");
    private static final ZoneId PACIFIC = ZoneId.of("America/Los_Angeles");
    private static final String RALEIGH = "+19195550177";
    private final FollowUpCadence cadence = FollowUpCadence.defaults(CallingWindow.defaultWindow(), EASTERN);

    private static Instant at(String local, ZoneId zone) {
        return ZonedDateTime.of(LocalDateTime.parse(local), zone).toInstant();
    }

    private static FollowUpCadence.Facts quiet(Instant first, Instant last, int done) {
        return new FollowUpCadence.Facts(
                RALEIGH, Optional.empty(), first, last, done, false, false, RecoveryStatus.OPEN);
    }

    @Test
    void theDefaultCadenceWhileTheCustomerStaysQuiet() {
        Instant first = at("2026-07-15T14:00", EASTERN);
        assertEquals(new Due(0, first.plus(Duration.ofMinutes(15))), cadence.next(quiet(first, first, 0)));
        Instant second = first.plus(Duration.ofMinutes(15));
        assertEquals(new Due(1, at("2026-07-16T09:00", EASTERN)), cadence.next(quiet(first, second, 1)));
        Instant third = at("2026-07-16T09:00", EASTERN);
        assertEquals(new Due(2, first.plus(Duration.ofDays(2))), cadence.next(quiet(first, third, 2)));
        assertEquals(new Stop("cadence done"), cadence.next(quiet(first, first.plus(Duration.ofDays(2)), 3)));
    }

    @Test
    void nextMorningIsTheCalleesMorning() {
        Instant first = at("2026-07-15T14:00", PACIFIC);
        var f = new FollowUpCadence.Facts(
                "+12135551234", Optional.empty(), first, first.plusSeconds(900), 1, false, false, RecoveryStatus.OPEN);
        assertEquals(new Due(1, at("2026-07-16T09:00", PACIFIC)), cadence.next(f));
    }

    @Test
    void aNudgeTheWindowPushesOntoTheNextStepIsDropped() {
        // First text at 20:50: +15 min is 21:05, outside the window: it would go at 08:00, an hour before the
        // 09:00 step. Only the 09:00 one goes.
        Instant first = at("2026-07-15T20:50", EASTERN);
        assertEquals(new Due(1, at("2026-07-16T09:00", EASTERN)), cadence.next(quiet(first, first, 0)));
    }

    @Test
    void aStepIsNeverOutsideTheWindow() {
        // a single +15 min nudge after a text at 20:50 goes at 08:00 the next morning (no later step to merge into)
        var one = new FollowUpCadence(
                java.util.List.of(new FollowUpCadence.After(Duration.ofMinutes(15))),
                CallingWindow.defaultWindow(),
                EASTERN,
                Duration.ofHours(2));
        Instant first = at("2026-07-15T20:50", EASTERN);
        assertEquals(new Due(0, at("2026-07-16T08:00", EASTERN)), one.next(quiet(first, first, 0)));
    }

    @Test
    void itStopsOnAReplyAnOptOutOrAClosedRecovery() {
        Instant first = at("2026-07-15T14:00", EASTERN);
        assertEquals(
                new Stop("replied"),
                cadence.next(new FollowUpCadence.Facts(
                        RALEIGH, Optional.empty(), first, first, 0, true, false, RecoveryStatus.OPEN)));
        assertEquals(
                new Stop("opted out"),
                cadence.next(new FollowUpCadence.Facts(
                        RALEIGH, Optional.empty(), first, first, 0, false, true, RecoveryStatus.OPEN)));
        assertEquals(
                new Stop("recovery got_through"),
                cadence.next(new FollowUpCadence.Facts(
                        RALEIGH, Optional.empty(), first, first, 0, false, false, RecoveryStatus.GOT_THROUGH)));
        assertEquals(
                new Stop("recovery booked"),
                cadence.next(new FollowUpCadence.Facts(
                        RALEIGH, Optional.empty(), first, first, 1, false, false, RecoveryStatus.BOOKED)));
        assertEquals(
                new Stop("recovery recovered"),
                cadence.next(new FollowUpCadence.Facts(
                        RALEIGH, Optional.empty(), first, first, 1, false, false, RecoveryStatus.RECOVERED)));
    }

    @Test
    void customSteps() {
        var c = new FollowUpCadence(
                java.util.List.of(new FollowUpCadence.After(Duration.ofHours(1))),
                CallingWindow.defaultWindow(),
                EASTERN,
                Duration.ofMinutes(30));
        Instant first = at("2026-07-15T10:00", EASTERN);
        assertEquals(new Due(0, first.plus(Duration.ofHours(1))), c.next(quiet(first, first, 0)));
        assertEquals(new Stop("cadence done"), c.next(quiet(first, first, 1)));
    }
}
