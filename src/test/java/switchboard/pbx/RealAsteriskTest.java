package switchboard.pbx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static switchboard.TestNodes.TOKEN;
import static switchboard.TestNodes.await;
import static switchboard.TestNodes.get;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import switchboard.Node;
import switchboard.Settings;
import switchboard.TestNodes;
import switchboard.tools.sim.TcpProxy;

/**
 * Real calls through a real Asterisk 22 (src/test/lab: Debian forky chroot on loopback) driven by SIPp, into
 * a node attached over AMI with the repo's asterisk-config/. Every call path the classifier knows, with the
 * lead source of its DID, checked through the HTTP API.
 */
@Tag("asterisk")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealAsteriskTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Process> phones = new ArrayList<>();
    private Node node;
    private TcpProxy link;

    @BeforeAll
    void start() throws Exception {
        Lab.start();
        link = new TcpProxy(5038); // the node reaches AMI through this, so a test can cut the link
        var env = TestNodes.amiNodeEnv("RealAsteriskTest", link.port(), Lab.amiSecret());
        env.put("SWITCHBOARD_CDR_FILE", Lab.cdrFile().toString());
        env.put("SWITCHBOARD_AMI_USER", Lab.AMI_USER);
        node = Node.start(Settings.load(null, env));
        await(Duration.ofSeconds(60), () -> get(node.httpPort(), "/readyz", null), r -> r.status() == 200);
    }

    @AfterAll
    void stop() throws Exception {
        for (var p : phones) Lab.stop(p);
        if (node != null) node.close();
        if (link != null) link.close();
        Lab.stop();
    }

    private Process phone(String... args) throws Exception {
        var p = Lab.sipp(args);
        phones.add(p);
        return p;
    }

    /** One SIPp caller on its own SIP port; returns the process (ends by itself after the call). */
    private Process call(int port, String did, String callerNumber, long holdMs) throws Exception {
        var cmd = new ArrayList<String>(List.of(
                "env",
                "SIPP_CALLER_PORT=" + port,
                "bash",
                Lab.DIR.resolve("sipp.sh").toString(),
                "caller",
                did,
                callerNumber,
                Long.toString(holdMs)));
        var p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        phones.add(p);
        return p;
    }

    private JsonNode endedCallFrom(String callerNumber) throws Exception {
        var calls = await(
                Duration.ofSeconds(90),
                () -> JSON.readTree(
                        get(node.httpPort(), "/api/calls?limit=200", TOKEN).body()),
                list -> {
                    for (var c : list)
                        if (callerNumber.equals(c.get("callerNumber").asText())
                                && !c.get("endedAt").isNull()) return true;
                    return false;
                });
        for (var c : calls) if (callerNumber.equals(c.get("callerNumber").asText())) return c;
        throw new AssertionError();
    }

    private static void assertOutcome(JsonNode call, String status, String reason, String source, boolean voicemail) {
        String what = call.toString();
        assertEquals(status, call.get("status").asText(), what);
        assertEquals(
                reason,
                call.get("missedReason").isNull()
                        ? null
                        : call.get("missedReason").asText(),
                what);
        assertEquals(source, call.get("source").asText(), what);
        assertEquals(voicemail, call.get("voicemail").asBoolean(), what);
    }

    @Test
    @Order(1)
    void everyCallPathIsClassifiedRight() throws Exception {
        // Phase 1: agents ring forever, extension 101 rings forever, 102 has no phone at all.
        var agent201 = phone("agent-ring-forever", "5071", "200");
        phone("agent-ring-forever", "5072", "200");
        var ext101 = phone("agent-ring-forever", "5073", "200");
        Instant t0 = Instant.now();
        var calls = List.of(
                call(5081, "+18005550100", "+19195550101", 12_000), // abandons in the queue after 12 s
                call(5082, "+18005550101", "+19195550102", 3_000), // gives up within the short-abandon threshold
                call(5083, "+18005550102", "+19195550103", 45_000), // waits out the 30 s queue: voicemail
                call(
                        5084,
                        "+18005550103",
                        "+19195550104",
                        30_000), // direct dial to 101 rings out after 20 s: voicemail
                call(5085, "+18005550106", "+19195550105", 10_000), // direct dial to 102: unavailable, voicemail
                call(5086, "+18005550105", "+19195550106", 6_000), // hangs up in the IVR
                call(5087, "+18005550104", "+19195550107", 10_000)); // after-hours route: voicemail
        for (var p : calls) assertTrue(p.waitFor(120, TimeUnit.SECONDS), "SIPp caller finished");

        assertOutcome(endedCallFrom("+19195550101"), "missed", "ABANDONED", "LSA", false);
        assertOutcome(endedCallFrom("+19195550102"), "missed", "SHORT_ABANDON", "GBP", false);
        assertOutcome(endedCallFrom("+19195550103"), "missed", "QUEUE_TIMEOUT", "PPC", true);
        assertOutcome(endedCallFrom("+19195550104"), "missed", "RING_NO_ANSWER", "WEBSITE", true);
        assertOutcome(endedCallFrom("+19195550105"), "missed", "UNAVAILABLE", "WEBSITE", true);
        assertOutcome(endedCallFrom("+19195550106"), "missed", "IVR_HANGUP", "REFERRAL", false);
        assertOutcome(endedCallFrom("+19195550107"), "missed", "AFTER_HOURS", "SEO", true);

        var abandoned = endedCallFrom("+19195550101");
        assertEquals("service", abandoned.get("queue").asText());
        assertEquals("+18005550100", abandoned.get("did").asText());
        Instant missedAt = Instant.parse(abandoned.get("missedAt").asText());
        Instant detectedAt = Instant.parse(abandoned.get("detectedAt").asText());
        assertTrue(missedAt.isAfter(t0.plusSeconds(10)), "missed at the caller's hang-up, not before: " + missedAt);
        assertTrue(
                Duration.between(missedAt, detectedAt).toMillis() < 1000,
                "detected within a second: " + missedAt + " -> " + detectedAt);

        // Phase 2: agent 201 answers; extension 101 is busy.
        Lab.stop(agent201);
        Lab.stop(ext101);
        phone("agent-answer", "5071", "120");
        phone("busy", "5073", "120");
        var answered = call(5088, "+18005550100", "+19195550108", 8_000);
        var busy = call(5089, "+18005550103", "+19195550109", 8_000);
        assertTrue(answered.waitFor(60, TimeUnit.SECONDS));
        assertTrue(busy.waitFor(60, TimeUnit.SECONDS));
        assertOutcome(endedCallFrom("+19195550108"), "answered", null, "LSA", false);
        assertEquals(
                "PJSIP/201", endedCallFrom("+19195550108").get("answeredBy").asText());
        assertOutcome(endedCallFrom("+19195550109"), "missed", "BUSY", "WEBSITE", true);

        // Leads: one per caller, recoveries only for misses.
        var lead = await(
                Duration.ofSeconds(20),
                () -> JSON.readTree(
                        get(node.httpPort(), "/api/leads/+19195550108", TOKEN).body()),
                l -> l.has("lead"));
        assertEquals("none", lead.at("/lead/status").asText(), lead.toString());
        var missedLead = await(
                Duration.ofSeconds(20),
                () -> JSON.readTree(
                        get(node.httpPort(), "/api/leads/+19195550103", TOKEN).body()),
                l -> "open".equals(l.at("/lead/status").asText()));
        assertEquals("QUEUE_TIMEOUT", missedLead.at("/lead/recovery/reason").asText());
    }

    /** Missed events in a call's history: exactly one per missed call, however it was learned. */
    private int missedEvents(String callId) throws Exception {
        var detail = JSON.readTree(
                get(node.httpPort(), "/api/calls/" + callId, TOKEN).body());
        int n = 0;
        for (var e : detail.get("events")) if ("Missed".equals(e.get("type").asText())) n++;
        return n;
    }

    @Test
    @Order(2)
    void callsDuringAnAmiLinkCutEachGetExactlyOneOutcome() throws Exception {
        for (var p : phones) Lab.stop(p);
        phone("agent-ring-forever", "5071", "200");
        phone("agent-ring-forever", "5072", "200");
        // A caller is waiting in the queue when the link goes down, and hangs up during the outage.
        var inFlight = call(5091, "+18005550100", "+19195550120", 18_000);
        await(
                Duration.ofSeconds(30),
                () -> JSON.readTree(
                        get(node.httpPort(), "/api/calls?status=active", TOKEN).body()),
                a -> a.toString().contains("+19195550120"));
        link.cut();
        await(
                Duration.ofSeconds(20),
                () -> get(node.httpPort(), "/readyz", null).status(),
                s -> s == 503);
        // Calls that start and end while the node is blind; one number calls twice.
        var shortOne = call(5092, "+18005550101", "+19195550121", 3_000);
        var afterHours = call(5093, "+18005550104", "+19195550122", 6_000);
        assertTrue(shortOne.waitFor(60, TimeUnit.SECONDS));
        var again = call(5094, "+18005550101", "+19195550121", 14_000);
        for (var p : List.of(inFlight, afterHours, again)) assertTrue(p.waitFor(90, TimeUnit.SECONDS));
        link.restore();
        await(
                Duration.ofSeconds(60),
                () -> get(node.httpPort(), "/readyz", null).status(),
                s -> s == 200);

        var waiting = endedCallFrom("+19195550120");
        assertOutcome(waiting, "missed", "ABANDONED", "LSA", false);
        assertOutcome(endedCallFrom("+19195550122"), "missed", "AFTER_HOURS", "SEO", true);
        var repeat = await(
                Duration.ofSeconds(60),
                () -> JSON.readTree(
                        get(node.httpPort(), "/api/leads/+19195550121", TOKEN).body()),
                l -> l.has("calls")
                        && l.get("calls").size() == 2
                        && l.at("/lead/missedCalls").asInt() == 2);
        var reasons = new java.util.TreeSet<String>();
        for (var c : repeat.get("calls")) {
            reasons.add(c.get("missedReason").asText());
            assertEquals(1, missedEvents(c.get("id").asText()), c.toString());
        }
        assertEquals(java.util.Set.of("SHORT_ABANDON", "ABANDONED"), reasons);
        assertEquals("default:+19195550121#1", repeat.at("/lead/recovery/id").asText(), "one recovery for both misses");
        assertEquals(2, repeat.at("/lead/recovery/missCount").asInt());
        assertEquals(1, missedEvents(waiting.get("id").asText()));
    }
}
