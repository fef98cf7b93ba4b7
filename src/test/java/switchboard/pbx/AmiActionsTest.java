package switchboard.pbx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import switchboard.callback.CallbackPbx;
import switchboard.lead.CallbackOutcome;

/** What became of a callback that is gone, from its CDR rows (after a crash or a link cut), and CDR durations. */
class AmiActionsTest {
    private static final Instant T0 = Instant.parse("2026-12-05T15:00:00Z");

    private static CdrBackfill.Row row(Instant answer, String dstChannel, String disposition) {
        return new CdrBackfill.Row(
                "sbcb-1",
                "sbcb-1",
                T0,
                answer,
                T0.plusSeconds(30),
                "",
                "+19195550123",
                "sb-callback",
                "PJSIP/carrier-1",
                dstChannel,
                "Dial",
                "",
                disposition,
                "",
                "",
                "",
                "",
                "",
                false,
                1);
    }

    @Test
    void noRowsMeansTheCallVanished() {
        assertEquals(List.of(new CallbackPbx.Vanished("a/1")), AmiActions.recorded("a/1", List.of()));
    }

    @Test
    void aCustomerConnectedToAnAgentIsAnsweredConnectedAndHungUp() {
        var events = AmiActions.recorded("a/1", List.of(row(T0.plusSeconds(5), "PJSIP/201-0001", "ANSWERED")));
        assertEquals(
                List.of(
                        new CallbackPbx.Answered("a/1"),
                        new CallbackPbx.Connected("a/1", "PJSIP/201-0001"),
                        new CallbackPbx.HungUp("a/1", 16)),
                events);
    }

    @Test
    void answeredButNeverConnectedIsAnsweredThenHungUp() {
        var events = AmiActions.recorded("a/1", List.of(row(T0.plusSeconds(5), "", "ANSWERED")));
        assertEquals(List.of(new CallbackPbx.Answered("a/1"), new CallbackPbx.HungUp("a/1", 16)), events);
    }

    @Test
    void theLastRowsDispositionSaysWhyItWasNotAnswered() {
        assertEquals(
                List.of(new CallbackPbx.NotAnswered("a/1", CallbackOutcome.BUSY, null, null)),
                AmiActions.recorded("a/1", List.of(row(null, "", "NO ANSWER"), row(null, "", "BUSY"))));
        assertEquals(
                List.of(new CallbackPbx.NotAnswered("a/1", CallbackOutcome.NO_ANSWER, null, null)),
                AmiActions.recorded("a/1", List.of(row(null, "", "NO ANSWER"))));
        assertEquals(
                List.of(new CallbackPbx.NotAnswered("a/1", CallbackOutcome.FAILED, null, null)),
                AmiActions.recorded("a/1", List.of(row(null, "", "FAILED"))));
    }

    @Test
    void cdrDurationsReadAsHoursMinutesSecondsOrSeconds() {
        assertEquals(Duration.ofSeconds(3723), Resync.parseDuration("01:02:03"));
        assertEquals(Duration.ofSeconds(42), Resync.parseDuration("42"));
        assertEquals(Duration.ZERO, Resync.parseDuration("soon"));
        assertEquals(Duration.ZERO, Resync.parseDuration(null));
    }
}
