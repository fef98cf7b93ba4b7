package switchboard.lead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import switchboard.lead.LeadEntity.Command;
import switchboard.lead.LeadEntity.Consent;
import switchboard.lead.LeadEntity.Event;
import switchboard.lead.LeadEntity.State;
import switchboard.lead.LeadEntity.TextAck;
import switchboard.lead.Texts.Direction;
import switchboard.lead.Texts.Text;

/** The SMS conversation on the lead: texts in and out, delivery status, opt-out before anything else. */
class LeadTextsTest {
    private static final Instant T0 = Instant.parse("2026-07-15T14:00:00Z");
    private static final LeadIdentity CALLER = CallerIdentification.identify("acme", "+19195550123", "US", "main:x");

    private static ActorTestKit testKit;
    private EventSourcedBehaviorTestKit<Command, Event, State> lead;

    @BeforeAll
    static void start() {
        testKit = EntityTestKit.create("LeadTextsTest");
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

    private void miss() {
        lead.<LeadEntity.Ack>runCommand(
                r -> new LeadEntity.RecordMiss("main:1", CALLER, LeadSource.LSA, "ABANDONED", T0, false, r));
    }

    private static Text out(String id, String kind, int second) {
        return new Text(
                id,
                Direction.OUT,
                "twilio",
                null,
                kind,
                CALLER.leadId() + "#1",
                "Hi from Acme. Reply STOP to opt out.",
                "sending",
                null,
                T0.plusSeconds(second),
                T0.plusSeconds(second));
    }

    private static Text in(String sid, String body, int second) {
        return new Text(
                "twilio:" + sid,
                Direction.IN,
                "twilio",
                sid,
                "reply",
                null,
                body,
                "received",
                null,
                T0.plusSeconds(second),
                T0.plusSeconds(second));
    }

    private EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, TextAck> send(Text t) {
        return lead.runCommand(r -> new LeadEntity.RecordTextSent(t, r));
    }

    private EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, TextAck> receive(
            Text t, Consent consent, String keyword) {
        return lead.runCommand(r -> new LeadEntity.RecordTextReceived(t, CALLER, consent, keyword, r));
    }

    @Test
    void aConversationWithItsDeliveryStatus() {
        miss();
        var sent = send(out("t1", "first", 20));
        assertTrue(sent.reply().accepted());
        assertInstanceOf(LeadEntity.TextSent.class, sent.event());
        var queued = lead.<TextAck>runCommand(
                r -> new LeadEntity.RecordTextStatus("t1", "twilio", "SM1", "queued", null, T0.plusSeconds(21), r));
        assertEquals("SM1", queued.state().texts().recent().get(0).providerId());
        // the status callback knows only the provider id
        var delivered = lead.<TextAck>runCommand(
                r -> new LeadEntity.RecordTextStatus(null, "twilio", "SM1", "delivered", null, T0.plusSeconds(25), r));
        assertEquals("delivered", delivered.state().texts().recent().get(0).status());
        // a late "sent" does not undo "delivered"
        var late = lead.<TextAck>runCommand(
                r -> new LeadEntity.RecordTextStatus(null, "twilio", "SM1", "sent", null, T0.plusSeconds(26), r));
        assertTrue(late.hasNoEvents());
        var reply = receive(in("SMin1", "leak at 27601", 300), null, null);
        var texts = reply.state().texts();
        assertEquals(2, texts.recent().size());
        assertEquals(Direction.IN, texts.recent().get(1).direction());
        assertEquals("leak at 27601", texts.recent().get(1).body());
        assertTrue(texts.repliedSinceFirstText());
        assertEquals(1, texts.sent());
        assertEquals(1, texts.received());
        // an unknown provider id changes nothing
        assertFalse(lead.<TextAck>runCommand(
                        r -> new LeadEntity.RecordTextStatus(null, "twilio", "SMnope", "failed", "30003", T0, r))
                .reply()
                .accepted());
    }

    @Test
    void repeatsChangeNothing() {
        miss();
        send(out("t1", "first", 20));
        assertTrue(send(out("t1", "first", 20)).hasNoEvents());
        receive(in("SMin1", "hello", 30), null, null);
        var again = receive(in("SMin1", "hello", 30), null, null); // the provider retried its webhook
        assertTrue(again.hasNoEvents());
        assertEquals(1, again.state().texts().received());
    }

    @Test
    void oneFirstTextPerRecovery() {
        miss();
        assertTrue(send(out("t1", "first", 20)).reply().accepted());
        var second = send(out("t2", "first", 40));
        assertFalse(second.reply().accepted());
        assertTrue(second.hasNoEvents());
        assertTrue(send(out("t3", "follow-up", 900)).reply().accepted());
        assertEquals(1, lead.getState().texts().followUpsDone());
    }

    @Test
    void stopIsStoredBeforeTheTextAndNothingButTheConfirmationGoesOutUntilStart() {
        miss();
        send(out("t1", "first", 20));
        var stop = receive(in("SMstop", "Stop texting me", 60), Consent.OPT_OUT, "STOP");
        assertEquals(2, stop.events().size());
        assertInstanceOf(LeadEntity.OptedOut.class, stop.events().get(0), "the opt-out first");
        assertInstanceOf(LeadEntity.TextReceived.class, stop.events().get(1));
        assertTrue(stop.state().texts().optedOut());
        assertEquals("STOP", stop.state().texts().optOutKeyword());

        var confirmation = send(out("t2", LeadEntity.OPT_OUT_CONFIRMATION, 61));
        assertTrue(confirmation.reply().accepted());
        var followUp = send(out("t3", "follow-up", 900));
        assertFalse(followUp.reply().accepted());
        assertEquals("opted out", followUp.reply().why());
        assertTrue(followUp.hasNoEvents());

        // across a restart: the opt-out is in the journal
        lead.restart();
        assertTrue(lead.getState().texts().optedOut());
        assertFalse(send(out("t4", "csr", 1000)).reply().accepted());

        var start = receive(in("SMstart", "START", 2000), Consent.OPT_IN, "START");
        assertInstanceOf(LeadEntity.OptedIn.class, start.events().get(1));
        assertFalse(start.state().texts().optedOut());
        assertTrue(send(out("t5", "csr", 2100)).reply().accepted());
    }

    @Test
    void startWithoutAnOptOutIsJustAText() {
        miss();
        var start = receive(in("SMstart", "start", 30), Consent.OPT_IN, "START");
        assertEquals(1, start.events().size());
        assertInstanceOf(LeadEntity.TextReceived.class, start.event());
    }

    @Test
    void aTextFromANumberWithNoLeadOpensOne() {
        var r = receive(in("SMnew", "x".repeat(2_000), 30), null, null);
        assertInstanceOf(LeadEntity.Identified.class, r.events().get(0));
        assertEquals(LeadSource.UNKNOWN, r.state().firstSource());
        assertEquals(2_000, r.state().texts().recent().get(0).body().length());
        assertNull(r.state().recovery(), "a text opens no recovery by itself (yet)");
    }

    @Test
    void aLeadThatNeverTextedCarriesNothing() {
        miss();
        assertEquals(Texts.NONE, lead.getState().texts());
        assertNull(lead.getState().texts().find("x", null, null));
        assertFalse(
                send(new Text("t", Direction.OUT, "twilio", null, "first", "r", "b", "sending", null, T0, T0)) == null);
    }

    @Test
    void onlyTheLastTextsAreKeptInMemory() {
        miss();
        for (int i = 0; i < Texts.RECENT + 5; i++) receive(in("SM" + i, "msg " + i, 30 + i), null, null);
        var texts = lead.getState().texts();
        assertEquals(Texts.RECENT, texts.recent().size());
        assertEquals("msg 5", texts.recent().get(0).body());
        assertEquals(Texts.RECENT + 5, texts.received());
    }
}
