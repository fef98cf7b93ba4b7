package switchboard.call;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import switchboard.call.MissedCallClassifier.Ending;
import switchboard.call.MissedCallClassifier.Facts;

class MissedCallClassifierTest {
    private static final Instant T0 = Instant.parse("2026-07-15T14:00:00Z");
    private final MissedCallClassifier classifier = new MissedCallClassifier(Duration.ofSeconds(10));

    private static Facts facts(boolean afterHours, boolean inQueue, boolean dialing, String queueExit, String dial) {
        return new Facts(T0, afterHours, inQueue, dialing, queueExit, dial);
    }

    private MissedReason hangupAfter(Facts f, int seconds) {
        return classifier.classify(f, Ending.HANGUP, T0.plusSeconds(seconds));
    }

    @Test
    void callerGivingUpInQueueIsAbandoned() {
        assertEquals(MissedReason.ABANDONED, hangupAfter(facts(false, true, true, null, null), 45));
    }

    @Test
    void callerGivingUpInQueueBeforeTheThresholdIsAShortAbandon() {
        assertEquals(MissedReason.SHORT_ABANDON, hangupAfter(facts(false, true, false, null, null), 9));
        assertEquals(MissedReason.ABANDONED, hangupAfter(facts(false, true, false, null, null), 10));
    }

    @Test
    void queueTimeoutThenVoicemailIsAQueueTimeout() {
        assertEquals(
                MissedReason.QUEUE_TIMEOUT,
                classifier.classify(facts(false, false, false, "TIMEOUT", null), Ending.VOICEMAIL, T0.plusSeconds(32)));
    }

    @Test
    void queueTimeoutThenHangupIsStillAQueueTimeout() {
        assertEquals(MissedReason.QUEUE_TIMEOUT, hangupAfter(facts(false, false, false, "TIMEOUT", null), 40));
    }

    @Test
    void queueWithNobodyToAnswerIsNoAgent() {
        for (String status : new String[] {"JOINEMPTY", "LEAVEEMPTY", "FULL", "JOINUNAVAIL", "LEAVEUNAVAIL"}) {
            assertEquals(
                    MissedReason.NO_AGENT,
                    classifier.classify(facts(false, false, false, status, null), Ending.VOICEMAIL, T0.plusSeconds(3)),
                    status);
        }
    }

    @Test
    void directDialOutcomesName3Reasons() {
        assertEquals(
                MissedReason.RING_NO_ANSWER,
                classifier.classify(
                        facts(false, false, false, null, "NOANSWER"), Ending.VOICEMAIL, T0.plusSeconds(21)));
        assertEquals(MissedReason.RING_NO_ANSWER, hangupAfter(facts(false, false, false, null, "NOANSWER"), 25));
        assertEquals(MissedReason.BUSY, hangupAfter(facts(false, false, false, null, "BUSY"), 5));
        assertEquals(MissedReason.UNAVAILABLE, hangupAfter(facts(false, false, false, null, "CHANUNAVAIL"), 5));
        assertEquals(MissedReason.UNAVAILABLE, hangupAfter(facts(false, false, false, null, "CONGESTION"), 5));
    }

    @Test
    void callerGivingUpWhileAPhoneRingsIsAbandoned() {
        assertEquals(MissedReason.ABANDONED, hangupAfter(facts(false, false, true, null, null), 15));
        assertEquals(MissedReason.SHORT_ABANDON, hangupAfter(facts(false, false, true, null, null), 4));
        // the DialEnd CANCEL that follows the caller's hang-up changes nothing
        assertEquals(MissedReason.ABANDONED, hangupAfter(facts(false, false, true, null, "CANCEL"), 15));
    }

    @Test
    void straightToVoicemailIsVoicemail() {
        assertEquals(
                MissedReason.VOICEMAIL,
                classifier.classify(facts(false, false, false, null, null), Ending.VOICEMAIL, T0.plusSeconds(2)));
    }

    @Test
    void afterHoursWinsOverEverythingElse() {
        assertEquals(
                MissedReason.AFTER_HOURS,
                classifier.classify(facts(true, false, false, null, null), Ending.VOICEMAIL, T0.plusSeconds(5)));
        assertEquals(MissedReason.AFTER_HOURS, hangupAfter(facts(true, true, true, "TIMEOUT", "NOANSWER"), 2));
    }

    @Test
    void hangingUpBeforeReachingAQueueOrPhoneIsAnIvrHangup() {
        assertEquals(MissedReason.IVR_HANGUP, hangupAfter(facts(false, false, false, null, null), 3));
        assertEquals(MissedReason.IVR_HANGUP, hangupAfter(facts(false, false, false, null, null), 60));
    }

    @Test
    void zeroThresholdDisablesShortAbandon() {
        var none = new MissedCallClassifier(Duration.ZERO);
        assertEquals(
                MissedReason.ABANDONED,
                none.classify(facts(false, true, false, null, null), Ending.HANGUP, T0.plusSeconds(1)));
    }
}
