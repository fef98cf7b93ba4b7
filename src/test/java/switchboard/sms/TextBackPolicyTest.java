package switchboard.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import switchboard.callback.CallingWindow;
import switchboard.sms.TextBackPolicy.Send;
import switchboard.sms.TextBackPolicy.Skip;
import switchboard.sms.TextBackPolicy.SkipReason;

class TextBackPolicyTest {
    private static final ZoneId EASTERN = ZoneId.of("America/New_York");
    private static final ZoneId PACIFIC = ZoneId.of("America/Los_Angeles");
    private static final String RALEIGH = "+19195550177"; // fixed line or mobile: NANP does not tell
    private static final String LA = "+12135551234";
    private final TextBackPolicy policy =
            new TextBackPolicy(CallingWindow.defaultWindow(), EASTERN, Duration.ofSeconds(20));

    private static Instant at(String local, ZoneId zone) {
        return ZonedDateTime.of(LocalDateTime.parse(local), zone).toInstant();
    }

    private static TextBackPolicy.Facts facts(String number, Instant missedAt) {
        return new TextBackPolicy.Facts(number, true, false, false, missedAt, Optional.empty());
    }

    @Test
    void aMissInTheDayIsTextedAfterTheDelay() {
        Instant missed = at("2026-07-15T10:00", EASTERN);
        var d = policy.decide(facts(RALEIGH, missed), missed.plusSeconds(1));
        assertEquals(new Send(missed.plusSeconds(20), false, List.of(EASTERN)), d, "the delay is not a deferral");
        // once the delay is over: now
        var later = policy.decide(facts(RALEIGH, missed), missed.plusSeconds(30));
        assertEquals(missed.plusSeconds(30), ((Send) later).at());
        assertFalse(((Send) later).deferred());
    }

    @Test
    void aMissAt2230CalleeLocalIsTextedAt0800NotBefore() {
        Instant missed = at("2026-07-15T22:30", EASTERN);
        var d = (Send) policy.decide(facts(RALEIGH, missed), missed);
        assertEquals(at("2026-07-16T08:00", EASTERN), d.at());
        assertTrue(d.deferred());
    }

    @Test
    void theCalleesZoneCountsNotTheContractors() {
        // 10:30 in Raleigh is 07:30 in Los Angeles: too early there.
        Instant missed = at("2026-07-15T10:30", EASTERN);
        var d = (Send) policy.decide(facts(LA, missed), missed);
        assertEquals(at("2026-07-15T08:00", PACIFIC), d.at());
        assertEquals(List.of(PACIFIC), d.zones());
        // ...unless a person set the lead's zone
        var moved = new TextBackPolicy.Facts(LA, true, false, false, missed, Optional.of(EASTERN));
        assertEquals(missed.plusSeconds(20), ((Send) policy.decide(moved, missed)).at());
    }

    @Test
    void theWindowIsTheConfiguredOne() {
        var late = new TextBackPolicy(
                new CallingWindow.Range(LocalTime.of(9, 0), LocalTime.of(20, 0)), EASTERN, Duration.ZERO);
        Instant missed = at("2026-07-15T20:15", EASTERN);
        assertEquals(at("2026-07-16T09:00", EASTERN), ((Send) late.decide(facts(RALEIGH, missed), missed)).at());
    }

    @Test
    void neverAfterAnOptOutWhateverElseHolds() {
        Instant missed = at("2026-07-15T10:00", EASTERN);
        var f = new TextBackPolicy.Facts(RALEIGH, true, false, true, missed, Optional.empty());
        assertEquals(new Skip(SkipReason.OPTED_OUT), policy.decide(f, missed));
        var alsoFixed = new TextBackPolicy.Facts("+442079460000", false, true, true, missed, Optional.empty());
        assertEquals(new Skip(SkipReason.OPTED_OUT), policy.decide(alsoFixed, missed));
    }

    @Test
    void onePerRecoveryAndOnlyWhileItIsOpen() {
        Instant missed = at("2026-07-15T10:00", EASTERN);
        assertEquals(
                new Skip(SkipReason.ALREADY_TEXTED),
                policy.decide(new TextBackPolicy.Facts(RALEIGH, true, true, false, missed, Optional.empty()), missed));
        assertEquals(
                new Skip(SkipReason.RECOVERY_CLOSED),
                policy.decide(
                        new TextBackPolicy.Facts(RALEIGH, false, false, false, missed, Optional.empty()), missed));
    }

    @Test
    void fixedLinesAndNumbersThatCannotTakeATextAreSkipped() {
        Instant missed = at("2026-07-15T16:00", EASTERN);
        assertEquals(new Skip(SkipReason.NOT_TEXTABLE), policy.decide(facts("+442079460000", missed), missed));
        assertEquals(new Skip(SkipReason.NOT_TEXTABLE), policy.decide(facts("+18005551234", missed), missed));
        assertEquals(new Skip(SkipReason.NOT_TEXTABLE), policy.decide(facts("garbage", missed), missed));
        assertEquals(new Skip(SkipReason.NO_NUMBER), policy.decide(facts(null, missed), missed));
        assertTrue(TextBackPolicy.textable("+33612345678"), "a French mobile");
        assertFalse(TextBackPolicy.textable("+33123456789"), "a French fixed line");
        assertTrue(TextBackPolicy.textable(RALEIGH));
    }

    @Test
    void aWindowWithNoTimeLeftSkips() {
        var closed = new TextBackPolicy(
                new CallingWindow.Range(LocalTime.of(9, 0), LocalTime.of(9, 0)), EASTERN, Duration.ZERO);
        Instant missed = at("2026-07-15T10:00", EASTERN);
        assertEquals(new Skip(SkipReason.NO_ALLOWED_TIME), closed.decide(facts(RALEIGH, missed), missed));
    }
}
