package switchboard.overflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static switchboard.TestNodes.await;
import static switchboard.TestNodes.get;
import static switchboard.TestNodes.metric;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import switchboard.Node;
import switchboard.TestNodes;
import switchboard.callback.CallbackCdr;
import switchboard.pbx.LabAccess;

/**
 * The callback offer through the real Asterisk 22 lab: a caller waits in the service queue (both agents paused),
 * is moved to the offer step at 3 s, presses 1 (RFC 4733 DTMF from SIPp) and is hung up on after the beep. The
 * call is missed as CALLBACK_REQUESTED, the lead opens a recovery with that reason, and the governor — held to one
 * Originate per 20 s — dials them before an older plain miss that was waiting for the same token.
 */
@Tag("asterisk")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealAsteriskCallbackOfferTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private final List<Process> phones = new ArrayList<>();
    private Node node;
    private Path cdr;

    @BeforeAll
    void start() throws Exception {
        LabAccess.start();
        cdr = LabAccess.cdrFile();
        node = LabAccess.startNode("RealAsteriskCallbackOfferTest", """
        switchboard.overflow {
          enabled = true
          ring-grace = 3s
          poll = 100ms
          queues { service { max-wait = 3s, to = "offer-callback" } }
        }
        switchboard.callbacks {
          enabled = true
          grace-period = 2s
          queue = service
          dial = "PJSIP/{number}@customer"
          ring-timeout = 5s
          max-concurrent = 1
          max-attempts-per-second = 0.05
          release = customer-first
          overshoot = 5
          inbound-reserve-wait = 10m
          calling-window = "00:00-24:00"
          retry { max-attempts = 1, max-attempts-per-day = 1 }
          poll = 200ms
        }
        """);
        LabAccess.cli("queue pause member PJSIP/201 queue service");
        LabAccess.cli("queue pause member PJSIP/202 queue service");
    }

    @AfterAll
    void stop() throws Exception {
        for (var p : phones) LabAccess.stop(p);
        try {
            LabAccess.cli("queue unpause member PJSIP/201 queue service");
            LabAccess.cli("queue unpause member PJSIP/202 queue service");
        } finally {
            if (node != null) node.close();
            LabAccess.stop();
        }
    }

    private Process sippCaller(int port, String... args) throws Exception {
        var p = LabAccess.sippCaller(port, args);
        phones.add(p);
        return p;
    }

    private JsonNode lead(String number, java.util.function.Predicate<JsonNode> done) throws Exception {
        return TestNodes.awaitLead(node.httpPort(), number, WAIT, done);
    }

    private Instant firstAttemptStart(String number) throws Exception {
        String channel = CallbackCdr.channelOf(number, 1);
        return await(
                WAIT,
                () -> CallbackCdr.rows(cdr).stream()
                        .filter(r -> r.uniqueId().equals(channel))
                        .map(r -> r.start())
                        .findFirst()
                        .orElse(null),
                t -> t != null);
    }

    @Test
    void aCallerWhoPressesOneIsCalledBackAheadOfAnOlderPlainMiss() throws Exception {
        phones.add(LabAccess.sipp("busy", "5073", "150")); // the office phone (website line) is busy: plain misses
        phones.add(LabAccess.sipp("busy", "5070", "150")); // the customers' phones, called back, are busy too
        String first = "+19195550731", older = "+19195550732", pressed = "+19195550733";
        // The first plain miss takes the only token now; the second waits for the next one (20 s later) ...
        assertTrue(sippCaller(5084, "caller", "+18005550103", first, "1000", "1", "1")
                .waitFor(60, TimeUnit.SECONDS));
        lead(first, l -> l.at("/lead/recovery/callbacks/attempts").asInt() == 1);
        assertTrue(sippCaller(5085, "caller", "+18005550103", older, "1000", "1", "1")
                .waitFor(60, TimeUnit.SECONDS));
        var olderLead = lead(older, l -> "open".equals(l.at("/lead/status").asText()));
        // ... and while it waits, a caller in the service queue is moved to the offer at 3 s and presses 1 at 6 s.
        var press = sippCaller(5086, "caller-press", "+18005550100", pressed, "6000", "1");
        assertTrue(press.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, press.exitValue(), "the PBX hung up on the caller after the offer (SIPp exit 0)");

        var pressedLead = lead(
                pressed,
                l -> "CALLBACK_REQUESTED".equals(l.at("/lead/recovery/reason").asText()));
        var call = pressedLead.path("calls").get(0);
        assertEquals("CALLBACK_REQUESTED", call.path("missedReason").asText(), call.toString());
        assertEquals("offer-callback", call.path("reroutedTo").asText(), call.toString());
        var metrics = get(node.httpPort(), "/metrics", null).body();
        assertEquals(1, metric(metrics, "switchboard_overflow_offers_total{accepted=\"true\"}"), metrics);

        // The older plain miss was due first, but the request is dialled first.
        Instant olderMissed =
                Instant.parse(olderLead.path("calls").get(0).path("missedAt").asText());
        Instant pressedMissed = Instant.parse(call.path("missedAt").asText());
        assertTrue(olderMissed.isBefore(pressedMissed), olderMissed + " / " + pressedMissed);
        Instant pressedDialled = firstAttemptStart(pressed), olderDialled = firstAttemptStart(older);
        assertTrue(
                pressedDialled.isBefore(olderDialled),
                "requested callback dialled at " + pressedDialled + ", the older miss at " + olderDialled);
    }
}
