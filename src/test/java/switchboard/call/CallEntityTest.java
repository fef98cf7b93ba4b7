package switchboard.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import switchboard.EntityTestKit;
import switchboard.call.CallEntity.Ack;
import switchboard.call.CallEntity.Command;
import switchboard.call.CallEntity.Event;
import switchboard.call.CallEntity.State;
import switchboard.call.PbxSignal.AfterHours;
import switchboard.call.PbxSignal.AgentConnected;
import switchboard.call.PbxSignal.AgentNoAnswer;
import switchboard.call.PbxSignal.AgentRinging;
import switchboard.call.PbxSignal.CallStarted;
import switchboard.call.PbxSignal.DialEnded;
import switchboard.call.PbxSignal.Hangup;
import switchboard.call.PbxSignal.HangupRequested;
import switchboard.call.PbxSignal.QueueJoined;
import switchboard.call.PbxSignal.QueueLeft;
import switchboard.call.PbxSignal.VoicemailEntered;
import switchboard.lead.LeadSource;
import switchboard.lead.LeadSourceResolver;
import switchboard.metrics.Metrics;

class CallEntityTest {
    private static final String PBX = "main";
    private static final String LINKED = "1752588000.17";
    private static final Instant T0 = Instant.parse("2026-07-15T14:00:00Z");
    private static final Instant NOW = Instant.parse("2026-07-15T14:05:00Z");

    private static ActorTestKit testKit;
    private EventSourcedBehaviorTestKit<Command, Event, State> call;

    @BeforeAll
    static void start() {
        testKit = EntityTestKit.create("CallEntityTest");
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void fresh() {
        var policy = CallPolicy.single(
                "acme",
                "US",
                new LeadSourceResolver(Map.of("18005550100", LeadSource.LSA)),
                new MissedCallClassifier(Duration.ofSeconds(10)));
        var behavior = CallEntity.create(
                CallEntity.callId(PBX, LINKED),
                policy,
                new CallMetrics(new Metrics()),
                Clock.fixed(NOW, ZoneOffset.UTC),
                null);
        call = EventSourcedBehaviorTestKit.create(testKit.system(), behavior);
        call.clear();
    }

    private EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, Ack> send(PbxSignal s) {
        return call.runCommand(replyTo -> new CallEntity.Signal(s, replyTo));
    }

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private void start(String caller) {
        send(new CallStarted(PBX, LINKED, at(0), caller, "HOMEOWNER", "+18005550100", null));
    }

    @Test
    void startRecordsCallerLeadAndSource() {
        var r = send(new CallStarted(PBX, LINKED, at(0), "9195550123", "HOMEOWNER", "+18005550100", null));
        var started = assertInstanceOf(CallEntity.Started.class, r.event());
        assertEquals("acme:+19195550123", started.lead().leadId());
        assertEquals("+19195550123", started.lead().phoneNumber());
        assertEquals(LeadSource.LSA, started.source());
        assertEquals(CallStatus.RINGING, r.state().status());
        assertEquals(at(0), r.state().startedAt());
        assertEquals(CallStatus.RINGING, r.reply().status());
    }

    @Test
    void queueAbandonIsMissedAtTheHangupRequestThenEnded() {
        start("+19195550123");
        assertEquals(
                CallStatus.QUEUED,
                send(new QueueJoined(PBX, LINKED, at(2), "service", 1)).state().status());
        // an agent ringing out while the caller waits is not stored and is not a miss
        assertTrue(send(new AgentRinging(PBX, LINKED, at(3), "service", "PJSIP/201"))
                .hasNoEvents());
        assertTrue(send(new AgentNoAnswer(PBX, LINKED, at(18), "service", "PJSIP/201", 15000))
                .hasNoEvents());
        assertEquals(CallStatus.QUEUED, call.getState().status());

        var r = send(new HangupRequested(PBX, LINKED, at(40), 16));
        var missed = assertInstanceOf(CallEntity.Missed.class, r.event());
        assertEquals(MissedReason.ABANDONED, missed.reason());
        assertEquals(at(40), missed.at());
        assertEquals(NOW, missed.detectedAt());
        assertEquals(MissedReason.ABANDONED, r.reply().missedReason());
        assertFalse(r.reply().ended());

        // the queue events that follow the hang-up change nothing
        assertTrue(send(new QueueLeft(PBX, LINKED, at(40), "service", null)).hasNoEvents());
        var end = send(new Hangup(PBX, LINKED, at(41), 16));
        assertInstanceOf(CallEntity.Ended.class, end.event());
        assertTrue(end.reply().ended());
        assertEquals(CallStatus.MISSED, end.state().status());
        assertEquals(at(41), end.state().endedAt());
    }

    @Test
    void aCallerWhoChoseACallbackIsMissedAsCallbackRequestedOnce() {
        start("+19195550123");
        send(new QueueJoined(PBX, LINKED, at(2), "service", 1));
        send(new PbxSignal.Rerouted(PBX, LINKED, at(30), "service", "offer-callback", "WAIT", 28));
        var chose = send(new PbxSignal.CallbackChosen(PBX, LINKED, at(34)));
        assertInstanceOf(CallEntity.CallbackChosen.class, chose.event());
        assertTrue(send(new PbxSignal.CallbackChosen(PBX, LINKED, at(34))).hasNoEvents(), "a repeat stores nothing");
        // the PBX hangs up after the confirmation beep: not an abandon, a callback they asked for
        var r = send(new HangupRequested(PBX, LINKED, at(36), 16));
        assertEquals(
                MissedReason.CALLBACK_REQUESTED,
                assertInstanceOf(CallEntity.Missed.class, r.event()).reason());
        assertTrue(
                send(new PbxSignal.CallbackChosen(PBX, LINKED, at(37))).hasNoEvents(), "nothing changes once decided");
        assertEquals(
                MissedReason.CALLBACK_REQUESTED,
                send(new Hangup(PBX, LINKED, at(37), 16)).state().missedReason());
    }

    @Test
    void aMovedCallIsMissedOnlyIfNobodyAnswersAtItsNewDestination() {
        start("+19195550123");
        send(new QueueJoined(PBX, LINKED, at(2), "service", 1));
        var moved = send(new PbxSignal.Rerouted(PBX, LINKED, at(32), "service", "queue:overflow", "WAIT", 30));
        assertEquals(CallStatus.REROUTED, moved.state().status(), "a move decides nothing");
        assertEquals(1, moved.state().hops().size());
        assertEquals(
                CallStatus.REROUTED,
                send(new QueueJoined(PBX, LINKED, at(32), "overflow", 1))
                        .state()
                        .status(),
                "waiting at the new destination");
        var r = send(new HangupRequested(PBX, LINKED, at(70), 16));
        assertEquals(
                MissedReason.ABANDONED,
                assertInstanceOf(CallEntity.Missed.class, r.event()).reason());
        assertEquals("overflow", r.state().queue());
        assertEquals(
                List.of("queue:overflow"),
                r.state().hops().stream().map(CallEntity.Hop::to).toList());
    }

    @Test
    void aCallerWhoChoseACallbackButWasAnsweredFirstIsAnswered() {
        start("+19195550123");
        send(new QueueJoined(PBX, LINKED, at(2), "service", 1));
        send(new PbxSignal.CallbackChosen(PBX, LINKED, at(10)));
        assertEquals(
                CallStatus.ANSWERED,
                send(new AgentConnected(PBX, LINKED, at(11), "service", "PJSIP/201"))
                        .state()
                        .status());
        assertEquals(
                CallStatus.ANSWERED,
                send(new Hangup(PBX, LINKED, at(60), 16)).state().status());
    }

    @Test
    void anEarlierStartFromTheCdrCorrectsAnAdoptedStartAndDecidesTheAbandon() {
        // Adopted at a resync: "now minus the whole seconds listed" puts the start 8 s before the hang-up ...
        send(new CallStarted(PBX, LINKED, at(4), "+19195550123", "HOMEOWNER", "+18005550100", null));
        send(new QueueJoined(PBX, LINKED, at(4), "service", 0));
        // ... the CDR record says it started at 0: 12 s in the queue is a plain abandon, not a short one.
        var corrected = send(new CallStarted(PBX, LINKED, at(0), "+19195550123", "HOMEOWNER", "+18005550100", null));
        assertEquals(
                at(0),
                assertInstanceOf(CallEntity.StartCorrected.class, corrected.event())
                        .at());
        assertTrue(
                send(new CallStarted(PBX, LINKED, at(2), "+19195550123", null, null, null))
                        .hasNoEvents(),
                "a later start changes nothing");
        assertEquals(
                MissedReason.ABANDONED,
                send(new Hangup(PBX, LINKED, at(12), 16)).state().missedReason());
        assertTrue(
                send(new CallStarted(PBX, LINKED, at(-5), "+19195550123", null, null, null))
                        .hasNoEvents(),
                "nothing changes once decided");
    }

    @Test
    void quickQueueHangupIsAShortAbandon() {
        start("+19195550123");
        send(new QueueJoined(PBX, LINKED, at(1), "service", 1));
        assertEquals(
                MissedReason.SHORT_ABANDON,
                send(new HangupRequested(PBX, LINKED, at(6), 16)).state().missedReason());
    }

    @Test
    void queueTimeoutToVoicemailIsMissedOnEnteringVoicemail() {
        start("+19195550123");
        send(new QueueJoined(PBX, LINKED, at(1), "service", 1));
        var exit = send(new QueueLeft(PBX, LINKED, at(31), "service", "TIMEOUT"));
        assertInstanceOf(CallEntity.QueueExited.class, exit.event());
        assertEquals(CallStatus.RINGING, exit.state().status(), "back in the dialplan, not yet missed");
        var vm = send(new VoicemailEntered(PBX, LINKED, at(32), "600@default"));
        var missed = assertInstanceOf(CallEntity.Missed.class, vm.event());
        assertEquals(MissedReason.QUEUE_TIMEOUT, missed.reason());
        assertTrue(missed.voicemail());
        // hanging up after the message does not record a second miss
        var end = send(new Hangup(PBX, LINKED, at(50), 16));
        assertEquals(1, end.events().size());
        assertInstanceOf(CallEntity.Ended.class, end.event());
    }

    @Test
    void queueTimeoutToAnOnCallPhoneThatAnswersIsAnswered() {
        start("+19195550123");
        send(new QueueJoined(PBX, LINKED, at(1), "service", 1));
        send(new QueueLeft(PBX, LINKED, at(31), "service", "TIMEOUT"));
        send(new AgentRinging(PBX, LINKED, at(31), null, "PJSIP/oncall"));
        var r = send(new DialEnded(PBX, LINKED, at(35), "PJSIP/oncall", "ANSWER"));
        assertEquals(CallStatus.ANSWERED, r.state().status());
        assertNull(r.state().missedReason());
    }

    @Test
    void answeredCallIsNeverMissed() {
        start("+19195550123");
        send(new QueueJoined(PBX, LINKED, at(1), "service", 1));
        send(new QueueLeft(PBX, LINKED, at(9), "service", null));
        var answer = send(new AgentConnected(PBX, LINKED, at(9), "service", "PJSIP/201"));
        var answered = assertInstanceOf(CallEntity.Answered.class, answer.event());
        assertEquals("PJSIP/201", answered.agent());
        assertTrue(send(new HangupRequested(PBX, LINKED, at(200), 16)).hasNoEvents());
        var end = send(new Hangup(PBX, LINKED, at(200), 16));
        assertEquals(
                List.of(CallEntity.Ended.class),
                end.events().stream().map(Object::getClass).toList());
        assertEquals(CallStatus.ANSWERED, end.state().status());
        assertNull(end.state().missedReason());
    }

    @Test
    void directDialOutcomes() {
        start("+19195550123");
        send(new AgentRinging(PBX, LINKED, at(1), null, "PJSIP/101"));
        send(new DialEnded(PBX, LINKED, at(21), "PJSIP/101", "NOANSWER"));
        assertTrue(
                send(new DialEnded(PBX, LINKED, at(21), null, "NOANSWER")).hasNoEvents(),
                "DIALSTATUS repeats the DialEnd");
        assertEquals(
                MissedReason.RING_NO_ANSWER,
                send(new VoicemailEntered(PBX, LINKED, at(22), "101@default"))
                        .state()
                        .missedReason());
    }

    @Test
    void busyExtensionThenHangup() {
        start("+19195550123");
        send(new AgentRinging(PBX, LINKED, at(1), null, "PJSIP/102"));
        assertInstanceOf(
                CallEntity.DialFailed.class,
                send(new DialEnded(PBX, LINKED, at(1), "PJSIP/102", "BUSY")).event());
        assertEquals(
                MissedReason.BUSY,
                send(new Hangup(PBX, LINKED, at(5), 16)).state().missedReason());
    }

    @Test
    void callerGivingUpWhileTheExtensionRingsIsAbandoned() {
        start("+19195550123");
        send(new AgentRinging(PBX, LINKED, at(1), null, "PJSIP/101"));
        assertEquals(
                MissedReason.ABANDONED,
                send(new HangupRequested(PBX, LINKED, at(14), 16)).state().missedReason());
        assertTrue(
                send(new DialEnded(PBX, LINKED, at(14), "PJSIP/101", "CANCEL")).hasNoEvents());
    }

    @Test
    void ivrHangupAndAfterHours() {
        start("+19195550123");
        assertEquals(
                MissedReason.IVR_HANGUP,
                send(new Hangup(PBX, LINKED, at(12), 16)).state().missedReason());

        fresh();
        start("+19195550123");
        assertInstanceOf(
                CallEntity.RoutedAfterHours.class,
                send(new AfterHours(PBX, LINKED, at(1))).event());
        assertTrue(send(new AfterHours(PBX, LINKED, at(1))).hasNoEvents(), "repeated marker");
        var vm = send(new VoicemailEntered(PBX, LINKED, at(3), "600@default"));
        assertEquals(MissedReason.AFTER_HOURS, vm.state().missedReason());
        assertTrue(vm.state().voicemail());
    }

    @Test
    void repeatedAndLateSignalsStoreNothing() {
        start("+19195550123");
        assertTrue(
                send(new CallStarted(PBX, LINKED, at(0), "+19195550123", null, null, null))
                        .hasNoEvents(),
                "resync repeats the start");
        send(new QueueJoined(PBX, LINKED, at(1), "service", 1));
        assertTrue(send(new QueueJoined(PBX, LINKED, at(1), "service", 1)).hasNoEvents());
        send(new Hangup(PBX, LINKED, at(30), 16));
        assertTrue(send(new Hangup(PBX, LINKED, at(30), 16)).hasNoEvents());
        assertTrue(
                send(new AgentConnected(PBX, LINKED, at(31), "service", "PJSIP/201"))
                        .hasNoEvents(),
                "nothing changes an ended call");
        assertEquals(CallStatus.MISSED, call.getState().status());
    }

    @Test
    void aCallFirstSeenMidWayIsKeptWithAnUnknownCaller() {
        var r = send(new QueueJoined(PBX, LINKED, at(5), "service", 2));
        assertEquals(2, r.events().size());
        var started = assertInstanceOf(CallEntity.Started.class, r.events().get(0));
        assertTrue(started.inferred());
        assertEquals("CALLER_UNKNOWN", started.lead().notCallableReason());
        assertEquals(CallStatus.QUEUED, r.state().status());
    }

    @Test
    void withheldCallerIsMissedAndKeptAsANonCallableLead() {
        start("anonymous");
        var r = send(new Hangup(PBX, LINKED, at(20), 16));
        var missed = assertInstanceOf(CallEntity.Missed.class, r.events().get(0));
        assertFalse(missed.lead().callable());
        assertEquals("WITHHELD", missed.lead().notCallableReason());
        assertNotNull(missed.lead().leadId());
    }

    @Test
    void stateSurvivesRestartIdentically() {
        start("+19195550123");
        send(new QueueJoined(PBX, LINKED, at(1), "service", 1));
        send(new HangupRequested(PBX, LINKED, at(40), 16));
        send(new Hangup(PBX, LINKED, at(41), 16));
        State before = call.getState();
        call.restart();
        assertEquals(before, call.getState());
    }
}
