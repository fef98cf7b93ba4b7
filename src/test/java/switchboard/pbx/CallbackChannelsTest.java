package switchboard.pbx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.asteriskjava.manager.event.AgentConnectEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.junit.jupiter.api.Test;
import switchboard.callback.CallbackPbx;
import switchboard.lead.CallbackOutcome;

/** What becomes of callback channels: answering-machine detection and agent-first callbacks (the dialplan's reports). */
class CallbackChannelsTest {
    private static final String ATTEMPT = "default:+19195550601#1/1";
    private static final String CHANNEL = "sbcb-test-1";

    private static OriginateResponseEvent originated(String response, int reason) {
        var e = new OriginateResponseEvent(new Object());
        e.setResponse(response);
        e.setReason(reason);
        e.setUniqueId(CHANNEL);
        e.setActionId(ATTEMPT);
        return e;
    }

    private static SwitchboardCallbackEvent report(String stage, String status) {
        var e = new SwitchboardCallbackEvent(new Object());
        e.setAttempt(ATTEMPT);
        e.setStage(stage);
        e.setStatus(status);
        e.setCause("");
        return e;
    }

    private static HangupEvent hangup(String uid) {
        var e = new HangupEvent(new Object());
        e.setUniqueId(uid);
        e.setCause(16);
        return e;
    }

    @Test
    void aBusyCustomerIsBusyWhicheverOrderAsteriskReportsItIn() {
        var busyHangup = new HangupEvent(new Object());
        busyHangup.setUniqueId(CHANNEL);
        busyHangup.setCause(17);
        var request = new org.asteriskjava.manager.event.HangupRequestEvent(new Object());
        request.setUniqueId(CHANNEL);
        request.setCause(17);
        // as recorded: HangupRequest (cause 17), OriginateResponse Failure reason 0, Hangup
        var recorded = new CallbackChannels();
        recorded.dialing(ATTEMPT, CHANNEL);
        assertTrue(recorded.onEvent(request).isEmpty());
        assertEquals(
                List.of(new CallbackPbx.NotAnswered(ATTEMPT, CallbackOutcome.BUSY, 0, 17)),
                recorded.onEvent(originated("Failure", 0)));
        assertTrue(recorded.onEvent(busyHangup).isEmpty(), "decided once");
        // under load: the OriginateResponse first, then the channel's hang-up with the cause
        var early = new CallbackChannels();
        early.dialing(ATTEMPT, CHANNEL);
        assertTrue(early.onEvent(originated("Failure", 0)).isEmpty(), "no cause yet: wait for the channel's hang-up");
        assertTrue(early.onEvent(request).isEmpty());
        assertEquals(
                List.of(new CallbackPbx.NotAnswered(ATTEMPT, CallbackOutcome.BUSY, 0, 17)), early.onEvent(busyHangup));
        // a failure without a channel (no route) is decided at once
        var noRoute = new CallbackChannels();
        noRoute.dialing(ATTEMPT, CHANNEL);
        var response = originated("Failure", 0);
        response.setUniqueId(null);
        assertEquals(
                CallbackOutcome.FAILED,
                ((CallbackPbx.NotAnswered) noRoute.onEvent(response).get(0)).outcome());
    }

    @Test
    void aMachineHeardByAmdIsReportedOnceThenTheHangUp() {
        var channels = new CallbackChannels();
        channels.dialing(ATTEMPT, CHANNEL);
        assertEquals(List.of(new CallbackPbx.Answered(ATTEMPT)), channels.onEvent(originated("Success", 4)));
        assertEquals(List.of(new CallbackPbx.Machine(ATTEMPT, "")), channels.onEvent(report("AMD", "MACHINE")));
        assertTrue(channels.onEvent(report("AMD", "MACHINE")).isEmpty(), "a repeat report changes nothing");
        assertEquals(List.of(new CallbackPbx.HungUp(ATTEMPT, 16)), channels.onEvent(hangup(CHANNEL)));
    }

    @Test
    void aPersonHeardByAmdGoesOnToTheQueue() {
        var channels = new CallbackChannels();
        channels.dialing(ATTEMPT, CHANNEL);
        channels.onEvent(originated("Success", 4));
        assertTrue(channels.onEvent(report("AMD", "HUMAN")).isEmpty());
        assertTrue(channels.onEvent(report("AMD", "NOTSURE")).isEmpty());
        var connect = new AgentConnectEvent(new Object());
        connect.setUniqueId(CHANNEL);
        connect.setInterface("PJSIP/201");
        assertEquals(List.of(new CallbackPbx.Connected(ATTEMPT, "PJSIP/201")), channels.onEvent(connect));
    }

    @Test
    void agentFirstIsConnectedWhenTheCustomerAnswersNotWhenTheCsrDoes() {
        var channels = new CallbackChannels();
        channels.dialing(ATTEMPT, CHANNEL, true);
        assertEquals(
                List.of(new CallbackPbx.Answered(ATTEMPT)),
                channels.onEvent(originated("Success", 4)),
                "the CSR answered");
        var connect = new AgentConnectEvent(new Object());
        connect.setUniqueId(CHANNEL);
        connect.setInterface("PJSIP/201");
        assertTrue(channels.onEvent(connect).isEmpty(), "a CSR answering is not the customer answering");
        assertEquals(
                List.of(new CallbackPbx.Connected(ATTEMPT, "agent-first")),
                channels.onEvent(report("CUSTOMER", "ANSWER")));
    }

    @Test
    void agentFirstReportsWhyTheCustomerWasNotReached() {
        for (var c : List.of(
                List.of("BUSY", CallbackOutcome.BUSY),
                List.of("NOANSWER", CallbackOutcome.NO_ANSWER),
                List.of("CHANUNAVAIL", CallbackOutcome.FAILED),
                List.of("CONGESTION", CallbackOutcome.FAILED))) {
            var channels = new CallbackChannels();
            channels.dialing(ATTEMPT, CHANNEL, true);
            channels.onEvent(originated("Success", 4));
            var out = channels.onEvent(report("CUSTOMER", (String) c.get(0)));
            assertEquals(1, out.size(), c.toString());
            assertEquals(c.get(1), ((CallbackPbx.NotAnswered) out.get(0)).outcome(), c.toString());
        }
    }

    @Test
    void agentFirstWithNoCsrAnsweringIsAFailureNotTheCustomersNoAnswer() {
        var channels = new CallbackChannels();
        channels.dialing(ATTEMPT, CHANNEL, true);
        var out = channels.onEvent(originated("Failure", 3));
        assertEquals(CallbackOutcome.FAILED, ((CallbackPbx.NotAnswered) out.get(0)).outcome());
        var customerFirst = new CallbackChannels();
        customerFirst.dialing(ATTEMPT, CHANNEL);
        assertEquals(
                CallbackOutcome.NO_ANSWER,
                ((CallbackPbx.NotAnswered)
                                customerFirst.onEvent(originated("Failure", 3)).get(0))
                        .outcome());
    }

    @Test
    void aReportForAnAttemptWeDoNotFollowIsIgnored() {
        var channels = new CallbackChannels();
        assertTrue(channels.onEvent(report("AMD", "MACHINE")).isEmpty());
        channels.dialing(ATTEMPT, CHANNEL); // customer first: a CUSTOMER report is not ours to act on
        channels.onEvent(originated("Success", 4));
        assertTrue(channels.onEvent(report("CUSTOMER", "BUSY")).isEmpty());
    }
}
