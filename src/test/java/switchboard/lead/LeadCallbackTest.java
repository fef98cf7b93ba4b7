package switchboard.lead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import switchboard.EntityTestKit;
import switchboard.lead.LeadEntity.AttemptReply;
import switchboard.lead.LeadEntity.Command;
import switchboard.lead.LeadEntity.Event;
import switchboard.lead.LeadEntity.State;

/** The lead's side of a callback: one attempt at a time, stored before it is dialled, settled once. */
class LeadCallbackTest {
    private static final Instant T0 = Instant.parse("2026-07-15T14:00:00Z");
    private static final LeadIdentity CALLER =
            new LeadIdentity("acme:+19195550123", "acme", "+19195550123", "9195550123", null);
    private static ActorTestKit testKit;
    private EventSourcedBehaviorTestKit<Command, Event, State> lead;
    private String recoveryId;

    @BeforeAll
    static void start() {
        testKit = EntityTestKit.create("LeadCallbackTest");
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void openRecovery() {
        lead = EventSourcedBehaviorTestKit.create(testKit.system(), LeadEntity.create(CALLER.leadId()));
        lead.clear();
        recoveryId = lead.<LeadEntity.Ack>runCommand(
                        r -> new LeadEntity.RecordMiss("main:1", CALLER, LeadSource.LSA, "ABANDONED", T0, false, r))
                .reply()
                .recoveryId();
    }

    private EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, AttemptReply> start(
            int secondsAfter) {
        return lead.runCommand(r -> new LeadEntity.StartAttempt(recoveryId, T0.plusSeconds(secondsAfter), r));
    }

    private EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, LeadEntity.Ack> end(
            String attemptId, CallbackOutcome outcome, int at, Instant retryAt, String giveUp) {
        return lead.runCommand(
                r -> new LeadEntity.EndAttempt(recoveryId, attemptId, outcome, T0.plusSeconds(at), retryAt, giveUp, r));
    }

    @Test
    void anAttemptIsStoredBeforeItIsGrantedWithADeterministicChannelId() {
        var r = start(90);
        var started = assertInstanceOf(LeadEntity.AttemptStarted.class, r.event());
        var granted = assertInstanceOf(LeadEntity.Granted.class, r.reply());
        assertEquals("+19195550123", granted.number());
        assertEquals(recoveryId + "/1", granted.attempt().attemptId());
        assertEquals(LeadEntity.channelIdOf(recoveryId + "/1"), started.channelId());
        assertEquals(started.channelId(), granted.attempt().channelId());
        assertNotEquals(LeadEntity.channelIdOf(recoveryId + "/2"), started.channelId());
    }

    @Test
    void aRepeatWhileInFlightIsNeverASecondDial() {
        var first = assertInstanceOf(LeadEntity.Granted.class, start(90).reply());
        var again = start(91);
        assertTrue(again.hasNoEvents());
        assertEquals(
                first.attempt(),
                assertInstanceOf(LeadEntity.InFlight.class, again.reply()).attempt(),
                "reconcile this one; do not dial");
    }

    @Test
    void busyIsRetriedAtTheGovernorsTimeAndNotBefore() {
        var a1 = assertInstanceOf(LeadEntity.Granted.class, start(90).reply()).attempt();
        var retryAt = T0.plusSeconds(300);
        var ended = end(a1.attemptId(), CallbackOutcome.BUSY, 100, retryAt, null);
        assertEquals(RecoveryStatus.OPEN, ended.reply().recoveryStatus());
        assertEquals(retryAt, ended.state().recovery().callbacks().nextAttemptAt());
        assertTrue(
                end(a1.attemptId(), CallbackOutcome.BUSY, 101, retryAt, null).hasNoEvents(),
                "a repeated outcome changes nothing");
        assertInstanceOf(LeadEntity.Refused.class, start(200).reply(), "not due yet");
        var a2 = assertInstanceOf(LeadEntity.Granted.class, start(300).reply()).attempt();
        assertEquals(2, a2.attemptNo());
        assertEquals(2, lead.getState().recovery().callbacks().attemptStarts().size());
    }

    @Test
    void connectedRecoversAndNothingMoreIsDialled() {
        var a1 = assertInstanceOf(LeadEntity.Granted.class, start(90).reply()).attempt();
        var r = end(a1.attemptId(), CallbackOutcome.CONNECTED, 120, null, null);
        assertEquals(RecoveryStatus.RECOVERED, r.reply().recoveryStatus());
        assertEquals(T0.plusSeconds(120), r.state().recovery().closedAt());
        assertInstanceOf(LeadEntity.Refused.class, start(500).reply());
    }

    @Test
    void theCapEndsItUnreachable() {
        var a1 = assertInstanceOf(LeadEntity.Granted.class, start(90).reply()).attempt();
        var r = end(a1.attemptId(), CallbackOutcome.NO_ANSWER, 130, null, "4 attempts made (the cap is 4)");
        assertInstanceOf(LeadEntity.RecoveryClosed.class, r.events().get(1));
        assertEquals(RecoveryStatus.UNREACHABLE, r.reply().recoveryStatus());
        assertEquals(
                "4 attempts made (the cap is 4)",
                r.state().recovery().callbacks().closedBecause());
    }

    @Test
    void aDeferralIsVisibleAndHonoured() {
        var until = T0.plusSeconds(3600);
        var d = lead.<LeadEntity.Ack>runCommand(
                r -> new LeadEntity.Defer(recoveryId, until, "CALLEE_LOCAL_TIME", T0.plusSeconds(90), r));
        assertEquals(until, d.state().recovery().callbacks().deferredUntil());
        assertEquals("CALLEE_LOCAL_TIME", d.state().recovery().callbacks().deferredBecause());
        assertTrue(
                lead.<LeadEntity.Ack>runCommand(r ->
                                new LeadEntity.Defer(recoveryId, until, "CALLEE_LOCAL_TIME", T0.plusSeconds(91), r))
                        .hasNoEvents(),
                "same deferral: not stored twice");
        assertInstanceOf(LeadEntity.Refused.class, start(120).reply());
        assertInstanceOf(LeadEntity.Granted.class, start(3600).reply());
        assertNull(lead.getState().recovery().callbacks().deferredUntil(), "an attempt clears the deferral");
    }

    @Test
    void dncAndCancelCloseWithoutACall() {
        var r = lead.<LeadEntity.Ack>runCommand(c ->
                new LeadEntity.Close(recoveryId, RecoveryStatus.DO_NOT_CALL, "on the DNC list", T0.plusSeconds(90), c));
        assertEquals(RecoveryStatus.DO_NOT_CALL, r.reply().recoveryStatus());
        assertInstanceOf(LeadEntity.Refused.class, start(100).reply());
        assertTrue(lead.<LeadEntity.Ack>runCommand(
                        c -> new LeadEntity.Close(recoveryId, RecoveryStatus.RECOVERED, "no", T0, c))
                .hasNoEvents());
    }

    @Test
    void theCustomerCallingInCancelsThePendingCallback() {
        var r = lead.<LeadEntity.Ack>runCommand(
                c -> new LeadEntity.RecordAnswer("main:2", CALLER, LeadSource.LSA, T0.plusSeconds(40), c));
        assertEquals(RecoveryStatus.GOT_THROUGH, r.reply().recoveryStatus());
        assertInstanceOf(LeadEntity.Refused.class, start(90).reply());
    }

    @Test
    void aNewMissWhileAnOldAttemptIsStillOnTheLineWaitsForIt() {
        var a1 = assertInstanceOf(LeadEntity.Granted.class, start(90).reply()).attempt();
        lead.<LeadEntity.Ack>runCommand(c ->
                new LeadEntity.Close(recoveryId, RecoveryStatus.CANCELLED, "by dispatcher", T0.plusSeconds(95), c));
        recoveryId = lead.<LeadEntity.Ack>runCommand(r -> new LeadEntity.RecordMiss(
                        "main:3", CALLER, LeadSource.LSA, "ABANDONED", T0.plusSeconds(100), false, r))
                .reply()
                .recoveryId();
        assertEquals(
                a1,
                assertInstanceOf(LeadEntity.InFlight.class, start(200).reply()).attempt(),
                "the old attempt is still on the line");
        end(a1.attemptId(), CallbackOutcome.NO_ANSWER, 210, null, null);
        assertEquals(
                1,
                assertInstanceOf(LeadEntity.Granted.class, start(220).reply())
                        .attempt()
                        .attemptNo());
    }

    @Test
    void aLeadWithoutANumberIsNeverDialled() {
        var anonymous = new LeadIdentity("acme:withheld:main:9", "acme", null, "anonymous", "WITHHELD");
        var kit = EventSourcedBehaviorTestKit.<Command, Event, State>create(
                testKit.system(), LeadEntity.create(anonymous.leadId()));
        String rid = kit.<LeadEntity.Ack>runCommand(
                        r -> new LeadEntity.RecordMiss("main:9", anonymous, LeadSource.SEO, "ABANDONED", T0, false, r))
                .reply()
                .recoveryId();
        var refused = assertInstanceOf(
                LeadEntity.Refused.class,
                kit.<AttemptReply>runCommand(r -> new LeadEntity.StartAttempt(rid, T0.plusSeconds(90), r))
                        .reply());
        assertTrue(refused.why().contains("WITHHELD"), refused.why());
    }

    @Test
    void aTimeZoneSetByAPersonIsKeptAndClearedAndABadOneIsNeverStored() {
        lead.<LeadEntity.Ack>runCommand(
                c -> new LeadEntity.Defer(recoveryId, T0.plusSeconds(3600), "CALLING_WINDOW", T0, c));
        assertEquals(
                T0.plusSeconds(3600), lead.getState().recovery().callbacks().deferredUntil());
        var set = lead.<LeadEntity.Ack>runCommand(
                c -> new LeadEntity.SetTimeZone("America/Denver", T0.plusSeconds(5), c));
        assertInstanceOf(LeadEntity.TimeZoneSet.class, set.event());
        assertEquals("America/Denver", set.state().timeZone());
        assertNull(
                set.state().recovery().callbacks().deferredUntil(), "a deferral computed in the old zone is dropped");
        assertTrue(
                lead.<LeadEntity.Ack>runCommand(c -> new LeadEntity.SetTimeZone("America/Denver", T0.plusSeconds(6), c))
                        .hasNoEvents(),
                "the same zone again stores nothing");
        assertTrue(
                lead.<LeadEntity.Ack>runCommand(c -> new LeadEntity.SetTimeZone("Mars/Olympus", T0.plusSeconds(7), c))
                        .hasNoEvents());
        assertEquals("America/Denver", lead.getState().timeZone());
        var cleared = lead.<LeadEntity.Ack>runCommand(c -> new LeadEntity.SetTimeZone(null, T0.plusSeconds(8), c));
        assertNull(cleared.state().timeZone());
        var unknown = EventSourcedBehaviorTestKit.<Command, Event, State>create(
                testKit.system(), LeadEntity.create("acme:+19195550999"));
        var r = unknown.<LeadEntity.Ack>runCommand(c -> new LeadEntity.SetTimeZone("America/Denver", T0, c));
        assertTrue(r.hasNoEvents(), "an unknown lead gets no zone");
    }
}
