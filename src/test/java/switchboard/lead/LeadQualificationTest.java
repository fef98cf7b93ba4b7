package switchboard.lead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
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
import switchboard.lead.Qualification.Channel;
import switchboard.lead.Qualification.CustomerStatus;
import switchboard.lead.Qualification.Urgency;

/** Qualification and booking are part of the lead (the testkit also round-trips every event and state through CBOR). */
class LeadQualificationTest {
    private static final Instant T0 = Instant.parse("2026-12-07T14:00:00Z");
    private static final LeadIdentity CALLER = CallerIdentification.identify("acme", "+19195550123", "US", "main:x");
    private static ActorTestKit testKit;
    private EventSourcedBehaviorTestKit<Command, Event, State> lead;

    @BeforeAll
    static void start() {
        testKit = EntityTestKit.create("LeadQualificationTest");
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void missedOnce() {
        lead = EventSourcedBehaviorTestKit.create(testKit.system(), LeadEntity.create(CALLER.leadId()));
        lead.clear();
        lead.<Ack>runCommand(
                r -> new LeadEntity.RecordMiss("main:1", CALLER, LeadSource.LSA, "ABANDONED", T0, false, r));
    }

    private EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, Ack> qualify(Qualification q) {
        return lead.<Ack>runCommand(r -> new LeadEntity.Qualify(q, "ivr", r));
    }

    @Test
    void answersMergeAndOnlyChangesAreStored() {
        var service = Qualification.empty(Channel.IVR, T0.plusSeconds(60)).withService("repair");
        assertEquals(1, qualify(service).events().size());
        assertEquals(0, qualify(service).events().size(), "the same answers again: nothing stored");

        var later = Qualification.empty(Channel.CSR, T0.plusSeconds(120))
                .withZip("27601", true)
                .withUrgency(Urgency.SOON);
        var stored = assertInstanceOf(
                LeadEntity.Qualified.class, qualify(later).events().get(0));
        assertEquals("repair", stored.qualification().service(), "kept from the interview");
        assertEquals("27601", stored.qualification().zip());
        assertEquals(Channel.CSR, stored.qualification().channel());
        assertEquals(Urgency.SOON, lead.getState().qualification().urgency());
        assertTrue(lead.getState().hasOpenRecovery(), "qualifying does not end the recovery");

        lead.restart();
        assertEquals("27601", lead.getState().qualification().zip(), "recovered from the journal");
    }

    @Test
    void aBookingEndsTheOpenRecoveryAsBookedAndIsOneBooking() {
        var booking = new LeadEntity.Booking(
                "service", LocalDate.parse("2026-12-08"), "08:00-12:00", "ivr", T0.plusSeconds(90));
        var r = lead.<Ack>runCommand(x -> new LeadEntity.RecordBooking(booking, x));
        var booked = assertInstanceOf(LeadEntity.JobBooked.class, r.events().get(0));
        assertEquals(CALLER.leadId() + "#1", booked.recoveryId());
        assertEquals(RecoveryStatus.BOOKED, r.reply().recoveryStatus());
        assertEquals(
                0,
                lead.<Ack>runCommand(x -> new LeadEntity.RecordBooking(booking, x))
                        .events()
                        .size(),
                "a retried booking");

        var cancelled = lead.<Ack>runCommand(x -> new LeadEntity.CancelBooking("csr", T0.plusSeconds(300), x));
        assertInstanceOf(LeadEntity.BookingCancelled.class, cancelled.events().get(0));
        assertNull(lead.getState().booking());
        assertEquals(RecoveryStatus.BOOKED, lead.getState().recovery().status(), "not reopened");
    }

    @Test
    void notServiceableClosesTheRecoveryWithTheReason() {
        var r = lead.<Ack>runCommand(x -> new LeadEntity.Close(
                null, RecoveryStatus.NOT_SERVICEABLE, "outside-service-area", T0.plusSeconds(60), x));
        assertEquals(RecoveryStatus.NOT_SERVICEABLE, r.reply().recoveryStatus());
        assertEquals(
                "outside-service-area", lead.getState().recovery().callbacks().closedBecause());
    }

    @Test
    void anUnknownLeadIsNotQualified() {
        var stranger = EventSourcedBehaviorTestKit.<Command, Event, State>create(
                testKit.system(), LeadEntity.create("acme:+19195550999"));
        var r = stranger.<Ack>runCommand(x -> new LeadEntity.Qualify(
                Qualification.empty(Channel.WEB, T0).withCustomer(CustomerStatus.NEW), "web", x));
        assertEquals(0, r.events().size());
        assertNull(r.reply().recoveryStatus());
    }
}
