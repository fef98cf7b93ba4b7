package switchboard.lead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import switchboard.EntityTestKit;
import switchboard.lead.LeadEntity.Command;
import switchboard.lead.LeadEntity.Event;
import switchboard.lead.LeadEntity.FormAck;
import switchboard.lead.LeadEntity.State;
import switchboard.lead.Qualification.Channel;

/** Web forms on the lead (the testkit round-trips every event and state through CBOR). */
class LeadFormTest {
    private static final Instant T0 = Instant.parse("2026-12-07T14:00:00Z");
    private static final LeadIdentity WHO = CallerIdentification.identify("acme", "+19195550123", "US", "form:x");
    private static ActorTestKit testKit;
    private EventSourcedBehaviorTestKit<Command, Event, State> lead;

    @BeforeAll
    static void start() {
        testKit = EntityTestKit.create("LeadFormTest");
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void fresh() {
        lead = EventSourcedBehaviorTestKit.create(testKit.system(), LeadEntity.create(WHO.leadId()));
        lead.clear();
    }

    private static LeadEntity.WebForm form(String id, boolean complete, Instant at) {
        return new LeadEntity.WebForm(
                id,
                LeadSource.PPC,
                complete,
                "Pat",
                complete ? "repair" : null,
                "27601",
                "no cooling",
                Map.of("utm_campaign", "summer"),
                at);
    }

    private EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, FormAck> send(
            LeadEntity.WebForm f) {
        var q = new Qualification(f.service(), f.zip(), true, null, null, Channel.WEB, f.at());
        return lead.<FormAck>runCommand(r -> new LeadEntity.RecordForm(f, WHO, q, r));
    }

    @Test
    void anAbandonedBookingOpensARecoveryOnceForItsId() {
        var first = send(form("f-1", false, T0));
        assertFalse(first.reply().duplicate());
        assertEquals(
                java.util.List.of(
                        LeadEntity.Identified.class,
                        LeadEntity.FormReceived.class,
                        LeadEntity.Qualified.class,
                        LeadEntity.RecoveryOpened.class),
                first.events().stream().map(Object::getClass).toList());
        var opened = (LeadEntity.RecoveryOpened) first.events().get(3);
        assertEquals(LeadEntity.ABANDONED_BOOKING, opened.reason());
        assertEquals(LeadSource.PPC, opened.source());
        assertEquals("form:f-1", opened.callId());
        assertTrue(lead.getState().hasOpenRecovery());

        var again = send(form("f-1", false, T0.plusSeconds(5)));
        assertTrue(again.reply().duplicate());
        assertTrue(again.events().isEmpty(), "a repeat stores nothing");
        assertEquals(opened.recoveryId(), again.reply().recoveryId());

        lead.restart();
        var afterRestart = send(form("f-1", false, T0.plusSeconds(9)));
        assertTrue(afterRestart.reply().duplicate(), "the form id is remembered from the journal");
        assertTrue(afterRestart.events().isEmpty());

        var another = send(form("f-2", false, T0.plusSeconds(60)));
        assertInstanceOf(
                LeadEntity.MissJoined.class,
                another.events().get(another.events().size() - 1));
        assertEquals(2, lead.getState().recovery().missCount(), "one recovery, never two");
        assertEquals("f-2", lead.getState().forms().last().formId());
        assertEquals(2, lead.getState().forms().recent().size());
    }

    @Test
    void aCompleteFormIsQualifiedOnTheWebAndOpensNothing() {
        var r = send(form("done-1", true, T0));
        assertFalse(r.reply().duplicate());
        assertNull(r.reply().recoveryId());
        var q = lead.getState().qualification();
        assertEquals(Channel.WEB, q.channel());
        assertEquals("repair", q.service());
        assertEquals("27601", q.zip());
        assertNull(lead.getState().recovery());
        assertEquals(LeadSource.PPC, lead.getState().firstSource());
    }

    @Test
    void aFormForACallerJoinsTheRecoveryTheirMissOpened() {
        lead.<LeadEntity.Ack>runCommand(
                r -> new LeadEntity.RecordMiss("main:1", WHO, LeadSource.LSA, "ABANDONED", T0, false, r));
        var r = send(form("f-9", false, T0.plusSeconds(30)));
        assertFalse(r.events().stream().anyMatch(e -> e instanceof LeadEntity.Identified), "the same lead");
        assertEquals(2, lead.getState().recovery().missCount());
        assertEquals("ABANDONED", lead.getState().recovery().reason(), "the recovery describes its earliest miss");
    }

    @Test
    void onlyTheLastHundredFormIdsAreKept() {
        for (int i = 0; i < LeadEntity.RECENT_FORMS + 1; i++) send(form("c-" + i, true, T0.plusSeconds(i)));
        assertEquals(LeadEntity.RECENT_FORMS, lead.getState().forms().recent().size());
        assertFalse(lead.getState().forms().seen("c-0"));
        assertTrue(send(form("c-1", true, T0.plusSeconds(999))).reply().duplicate());
    }
}
