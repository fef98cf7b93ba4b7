package switchboard.lead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import switchboard.EntityTestKit;
import switchboard.lead.LeadEntity.Ack;
import switchboard.lead.LeadEntity.Command;
import switchboard.lead.LeadEntity.Event;
import switchboard.lead.LeadEntity.State;

class LeadEntityTest {
    private static final Instant T0 = Instant.parse("2026-07-15T14:00:00Z");
    private static final LeadIdentity CALLER = CallerIdentification.identify("acme", "+19195550123", "US", "main:x");

    private static ActorTestKit testKit;
    private EventSourcedBehaviorTestKit<Command, Event, State> lead;

    @BeforeAll
    static void start() {
        testKit = EntityTestKit.create("LeadEntityTest");
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void fresh() {
        lead = EventSourcedBehaviorTestKit.create(testKit.system(), LeadEntity.create(CALLER.leadId()));
        lead.clear();
    }

    private EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, Ack> miss(
            String callId, int minute) {
        return lead.runCommand(r -> new LeadEntity.RecordMiss(
                callId, CALLER, LeadSource.LSA, "ABANDONED", T0.plusSeconds(60L * minute), false, r));
    }

    private EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, Ack> answer(
            String callId, int minute) {
        return lead.runCommand(
                r -> new LeadEntity.RecordAnswer(callId, CALLER, LeadSource.LSA, T0.plusSeconds(60L * minute), r));
    }

    @Test
    void firstMissIdentifiesTheLeadAndOpensOneRecovery() {
        var r = miss("main:1", 0);
        assertEquals(2, r.events().size());
        assertInstanceOf(LeadEntity.Identified.class, r.events().get(0));
        var opened =
                assertInstanceOf(LeadEntity.RecoveryOpened.class, r.events().get(1));
        assertEquals(CALLER.leadId() + "#1", opened.recoveryId());
        assertEquals(RecoveryStatus.OPEN, r.reply().recoveryStatus());
        assertEquals(LeadSource.LSA, r.state().firstSource());
        assertEquals("+19195550123", r.state().identity().phoneNumber());
    }

    @Test
    void aMissedCallbackRequestOpensARecoveryThatIsDueAtOnce() {
        var r = lead.<Ack>runCommand(reply ->
                new LeadEntity.RecordMiss("main:1", CALLER, LeadSource.LSA, "CALLBACK_REQUESTED", T0, false, reply));
        assertEquals(3, r.events().size(), r.events().toString());
        assertEquals(
                "CALLBACK_REQUESTED",
                assertInstanceOf(LeadEntity.RecoveryOpened.class, r.events().get(1))
                        .reason());
        var requested =
                assertInstanceOf(LeadEntity.CallbackRequested.class, r.events().get(2));
        assertEquals(CALLER.leadId() + "#1", requested.recoveryId());
        assertEquals(T0, r.state().recovery().callbacks().nextAttemptAt(), "no grace period: they asked for it");
        // redelivered, it changes nothing
        assertTrue(lead.<Ack>runCommand(reply -> new LeadEntity.RecordMiss(
                        "main:1", CALLER, LeadSource.LSA, "CALLBACK_REQUESTED", T0, false, reply))
                .hasNoEvents());
    }

    @Test
    void aCallbackRequestJoiningAnOpenRecoveryMakesItDueNow() {
        miss("main:1", 0);
        var r = lead.<Ack>runCommand(reply -> new LeadEntity.RecordMiss(
                "main:2", CALLER, LeadSource.LSA, "CALLBACK_REQUESTED", T0.plusSeconds(300), false, reply));
        assertInstanceOf(LeadEntity.MissJoined.class, r.events().get(0));
        assertInstanceOf(LeadEntity.CallbackRequested.class, r.events().get(1));
        assertEquals(T0.plusSeconds(300), r.state().recovery().callbacks().nextAttemptAt());
        assertEquals(1, r.state().recoveriesOpened());
    }

    @Test
    void repeatMissesMergeIntoTheOpenRecovery() {
        miss("main:1", 0);
        var second = miss("main:2", 3);
        var joined = assertInstanceOf(LeadEntity.MissJoined.class, second.event());
        assertEquals(CALLER.leadId() + "#1", joined.recoveryId());
        var third = miss("main:3", 9);
        var recovery = third.state().recovery();
        assertEquals(3, recovery.missCount());
        assertEquals(List.of("main:1", "main:2", "main:3"), recovery.callIds());
        assertEquals(T0, recovery.openedAt());
        assertEquals(1, third.state().recoveriesOpened(), "one recovery, never two");
        assertEquals(3, third.state().missedCalls());
    }

    @Test
    void theRecoveryDescribesItsEarliestMissWhateverTheArrivalOrder() {
        miss("main:2", 10);
        var r = lead.<Ack>runCommand(
                reply -> new LeadEntity.RecordMiss("main:1", CALLER, LeadSource.GBP, "QUEUE_TIMEOUT", T0, true, reply));
        var recovery = r.state().recovery();
        assertEquals(T0, recovery.openedAt());
        assertEquals("QUEUE_TIMEOUT", recovery.reason());
        assertEquals(LeadSource.GBP, recovery.source());
        assertEquals(T0.plusSeconds(600), recovery.lastMissAt());
        assertTrue(recovery.voicemail());
    }

    @Test
    void aRedeliveredOutcomeChangesNothing() {
        miss("main:1", 0);
        assertTrue(miss("main:1", 0).hasNoEvents());
        answer("main:2", 5);
        assertTrue(answer("main:2", 5).hasNoEvents());
        assertEquals(1, lead.getState().missedCalls());
        assertEquals(1, lead.getState().answeredCalls());
    }

    @Test
    void answeredCallAfterTheMissClosesTheRecoveryAsGotThrough() {
        miss("main:1", 0);
        var r = answer("main:2", 7);
        var got = assertInstanceOf(LeadEntity.GotThrough.class, r.event());
        assertEquals("main:2", got.callId());
        assertEquals(RecoveryStatus.GOT_THROUGH, r.state().recovery().status());
        assertEquals(RecoveryStatus.GOT_THROUGH, r.reply().recoveryStatus());
        assertFalse(r.state().hasOpenRecovery());
        // the next miss opens a new recovery
        var again = miss("main:3", 60);
        var opened = assertInstanceOf(LeadEntity.RecoveryOpened.class, again.event());
        assertEquals(CALLER.leadId() + "#2", opened.recoveryId());
    }

    @Test
    void aMissOlderThanAnAnsweredCallOpensNothing() {
        answer("main:2", 10);
        var late = miss("main:1", 5); // delivered after the answer, happened before it
        assertInstanceOf(LeadEntity.StaleMissRecorded.class, late.event());
        assertNull(late.state().recovery());
        assertEquals(1, late.state().missedCalls());
    }

    @Test
    void anAnsweredCallBeforeTheRecoveryOpenedDoesNotCloseIt() {
        miss("main:2", 10);
        var early = answer("main:1", 5);
        assertInstanceOf(LeadEntity.AnsweredCallRecorded.class, early.event());
        assertTrue(early.state().hasOpenRecovery());
    }

    @Test
    void nonCallableLeadsAreKeptWithTheirReason() {
        var anonymous = CallerIdentification.identify("acme", "anonymous", "US", "main:9");
        var kit = EventSourcedBehaviorTestKit.<Command, Event, State>create(
                testKit.system(), LeadEntity.create(anonymous.leadId()));
        var r = kit.<Ack>runCommand(reply ->
                new LeadEntity.RecordMiss("main:9", anonymous, LeadSource.UNKNOWN, "IVR_HANGUP", T0, false, reply));
        assertFalse(r.state().identity().callable());
        assertEquals("WITHHELD", r.state().identity().notCallableReason());
        assertTrue(r.state().hasOpenRecovery());
    }

    @Test
    void recoversFromSnapshotAndEventsIdentically() {
        // More than the snapshot interval of calls: recovery goes through a snapshot plus the events after it.
        for (int i = 0; i < 60; i++) {
            if (i % 3 == 2) answer("main:" + i, i);
            else miss("main:" + i, i);
        }
        State before = lead.getState();
        lead.restart();
        assertEquals(before, lead.getState());
        assertEquals(LeadEntity.RECENT_CALLS, before.recentCallIds().size(), "the de-duplication window is bounded");
        assertEquals("main:59", before.recentCallIds().get(LeadEntity.RECENT_CALLS - 1));
        assertEquals(40, before.missedCalls());
        assertEquals(20, before.answeredCalls());
    }
}
