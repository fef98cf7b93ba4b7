package switchboard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import switchboard.Node;
import switchboard.TestNodes;
import switchboard.call.PbxSignal;

/** A real node on H2 (journal, projections, HTTP): signals in, API out, and every kind of bad request. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeApiTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private Node node;
    private int port;

    @BeforeAll
    void start() throws Exception {
        var settings = TestNodes.settings(TestNodes.h2Url("NodeApiTest"), "sa", """
        switchboard.sources.dids { "+18005550100" = LSA, "+18005550101" = GBP }
        switchboard.pbx.tenant = acme
        """);
        node = Node.start(settings);
        port = node.httpPort();
    }

    @AfterAll
    void stop() throws Exception {
        node.close();
    }

    private void signal(PbxSignal s) throws Exception {
        node.signals().ask(s, Duration.ofSeconds(10)).toCompletableFuture().get();
    }

    private JsonNode json(String path) throws Exception {
        var r = get(port, path, TOKEN);
        assertEquals(200, r.status(), path + " -> " + r.body());
        return JSON.readTree(r.body());
    }

    private static List<String> ids(JsonNode array) {
        var out = new ArrayList<String>();
        array.forEach(n -> out.add(n.get("id").asText()));
        return out;
    }

    @Test
    void aLeadsCallbackAttemptsAndTheirOutcomeShowOnTheApi() throws Exception {
        Instant t =
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).minusSeconds(300);
        signal(new PbxSignal.CallStarted("main", "400.1", t, "+19195550199", "SAM", "+18005550100", null));
        signal(new PbxSignal.QueueJoined("main", "400.1", t.plusSeconds(1), "service", 1));
        signal(new PbxSignal.Hangup("main", "400.1", t.plusSeconds(40), 16));
        String leadId = "acme:+19195550199";
        await(
                WAIT,
                () -> get(port, "/api/leads/" + leadId, TOKEN),
                r -> r.status() == 200 && r.body().contains("\"missedCalls\":1"));

        var lead = org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding.get(node.system())
                .entityRefFor(switchboard.lead.LeadEntity.ENTITY_KEY, leadId);
        String recoveryId = leadId + "#1";
        var granted = (switchboard.lead.LeadEntity.Granted) lead.<switchboard.lead.LeadEntity.AttemptReply>ask(
                        r -> new switchboard.lead.LeadEntity.StartAttempt(recoveryId, t.plusSeconds(130), r),
                        Duration.ofSeconds(10))
                .toCompletableFuture()
                .get();
        var inFlight = await(
                WAIT,
                () -> json("/api/leads/" + leadId),
                b -> b.at("/lead/recovery/callbacks/attempts").asInt() == 1);
        assertEquals(
                granted.attempt().attemptId(),
                inFlight.at("/lead/recovery/callbacks/inFlight").asText());

        Instant retryAt = t.plusSeconds(400);
        lead.<switchboard.lead.LeadEntity.Ack>ask(
                        r -> new switchboard.lead.LeadEntity.EndAttempt(
                                recoveryId,
                                granted.attempt().attemptId(),
                                switchboard.lead.CallbackOutcome.BUSY,
                                t.plusSeconds(140),
                                retryAt,
                                null,
                                r),
                        Duration.ofSeconds(10))
                .toCompletableFuture()
                .get();
        var busy = await(
                WAIT,
                () -> json("/api/leads/" + leadId),
                b -> b.at("/lead/recovery/callbacks/lastOutcome").asText().equals("busy"));
        assertTrue(busy.at("/lead/recovery/callbacks/inFlight").isNull());
        assertEquals(
                retryAt,
                Instant.parse(busy.at("/lead/recovery/callbacks/nextAttemptAt").asText()));
        assertEquals("open", busy.at("/lead/status").asText());

        lead.<switchboard.lead.LeadEntity.Ack>ask(
                        r -> new switchboard.lead.LeadEntity.Close(
                                recoveryId,
                                switchboard.lead.RecoveryStatus.DO_NOT_CALL,
                                "on the DNC list",
                                t.plusSeconds(200),
                                r),
                        Duration.ofSeconds(10))
                .toCompletableFuture()
                .get();
        var closed = await(
                WAIT,
                () -> json("/api/leads/" + leadId),
                b -> b.at("/lead/status").asText().equals("do_not_call"));
        assertEquals("on the DNC list", closed.at("/lead/recovery/closedReason").asText());
        assertTrue(closed.at("/lead/recovery/callbacks/nextAttemptAt").isNull());
        assertTrue(ids(json("/api/leads?status=do_not_call&limit=50")).contains(leadId));
    }

    @Test
    void callbacksAreCancelledRequestedAndListedAndTheDncListIsKept() throws Exception {
        Instant t =
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).minusSeconds(200);
        signal(new PbxSignal.CallStarted("main", "500.1", t, "+19195550155", "KIM", "+18005550100", null));
        signal(new PbxSignal.Hangup("main", "500.1", t.plusSeconds(20), 16));
        String leadId = "acme:+19195550155";
        await(
                WAIT,
                () -> get(port, "/api/leads/" + leadId, TOKEN),
                r -> r.status() == 200 && r.body().contains("\"status\":\"open\""));
        assertTrue(
                ids(json("/api/callbacks?status=open&limit=100")).contains(leadId),
                "open recoveries are listed for callback");

        var cancel = TestNodes.send(port, "POST", "/api/leads/+19195550155/cancel", TOKEN, null);
        assertEquals(200, cancel.status(), cancel.body());
        await(
                WAIT,
                () -> json("/api/leads/" + leadId),
                b -> b.at("/lead/status").asText().equals("cancelled"));
        assertTrue(ids(json("/api/callbacks?status=cancelled")).contains(leadId));
        assertError(TestNodes.send(port, "POST", "/api/leads/+19195550155/cancel", TOKEN, null), 409, "nothing_open");

        // A person asks for a callback of the same (known, callable) caller: a new recovery, due now.
        var req = TestNodes.send(port, "POST", "/api/leads/" + leadId + "/callback", TOKEN, null);
        assertEquals(200, req.status(), req.body());
        var requested = await(
                WAIT,
                () -> json("/api/leads/" + leadId),
                b -> b.at("/lead/status").asText().equals("open"));
        assertEquals("CALLBACK_REQUESTED", requested.at("/lead/recovery/reason").asText());
        assertFalse(requested.at("/lead/recovery/callbacks/nextAttemptAt").isNull(), "due now, no grace period");
        assertError(TestNodes.send(port, "POST", "/api/leads/+19195550100/callback", TOKEN, null), 404, "not_found");

        var put = TestNodes.send(port, "PUT", "/api/dnc/(919)%20555-0166", TOKEN, null);
        assertEquals(200, put.status(), put.body());
        assertEquals("+19195550166", JSON.readTree(put.body()).get("number").asText());
        assertTrue(node.dnc().contains("+19195550166"));
        assertError(TestNodes.send(port, "PUT", "/api/dnc/12345", TOKEN, null), 400, "bad_request");
        assertEquals(
                200,
                TestNodes.send(port, "DELETE", "/api/dnc/+19195550166", TOKEN, null)
                        .status());
        assertError(TestNodes.send(port, "DELETE", "/api/dnc/+19195550166", TOKEN, null), 404, "not_found");
        assertError(get(port, "/api/callbacks?status=sometime", TOKEN), 400, "bad_request");

        // The calling window's zone, set by a person for this lead, then from the number again.
        var zone = TestNodes.send(
                port, "PUT", "/api/leads/" + leadId + "/time-zone", TOKEN, "{\"timeZone\": \"America/Denver\"}");
        assertEquals(200, zone.status(), zone.body());
        await(
                WAIT,
                () -> json("/api/leads/" + leadId),
                b -> b.at("/lead/timeZone").asText().equals("America/Denver"));
        assertError(
                TestNodes.send(
                        port, "PUT", "/api/leads/" + leadId + "/time-zone", TOKEN, "{\"timeZone\": \"Mars/Olympus\"}"),
                400,
                "bad_request");
        assertError(
                TestNodes.send(port, "PUT", "/api/leads/" + leadId + "/time-zone", TOKEN, "{\"timeZone\": "),
                400,
                "bad_request");
        assertError(
                TestNodes.send(port, "PUT", "/api/leads/" + leadId + "/time-zone", TOKEN, "{\"zone\": \"UTC\"}"),
                400,
                "bad_request");
        assertError(
                TestNodes.send(port, "PUT", "/api/leads/+19195550100/time-zone", TOKEN, "{\"timeZone\": \"UTC\"}"),
                404,
                "not_found");
        assertEquals(
                200,
                TestNodes.send(port, "DELETE", "/api/leads/" + leadId + "/time-zone", TOKEN, null)
                        .status());
        await(
                WAIT,
                () -> json("/api/leads/" + leadId),
                b -> b.at("/lead/timeZone").isNull());
    }

    @Test
    void missedCallsMergeIntoOneRecoveryAndAnAnsweredCallClosesIt() throws Exception {
        Instant t = Instant.now()
                .truncatedTo(java.time.temporal.ChronoUnit.MILLIS)
                .minusSeconds(600); // PBX times are whole microseconds at most
        String caller = "(919) 555-0177";
        // 1st call: abandoned in the queue
        signal(new PbxSignal.CallStarted("main", "100.1", t, caller, "JANE", "+18005550100", null));
        signal(new PbxSignal.QueueJoined("main", "100.1", t.plusSeconds(1), "service", 1));
        signal(new PbxSignal.HangupRequested("main", "100.1", t.plusSeconds(45), 16));
        signal(new PbxSignal.Hangup("main", "100.1", t.plusSeconds(45), 16));
        // 2nd call from the same number: queue timeout to voicemail
        signal(new PbxSignal.CallStarted(
                "main", "100.2", t.plusSeconds(120), "+19195550177", "JANE", "+18005550101", null));
        signal(new PbxSignal.QueueJoined("main", "100.2", t.plusSeconds(121), "service", 1));
        signal(new PbxSignal.QueueLeft("main", "100.2", t.plusSeconds(151), "service", "TIMEOUT"));
        signal(new PbxSignal.VoicemailEntered("main", "100.2", t.plusSeconds(152), "600@default"));
        signal(new PbxSignal.Hangup("main", "100.2", t.plusSeconds(170), 16));

        String leadId = "acme:+19195550177";
        var lead = await(
                WAIT,
                () -> get(port, "/api/leads/" + leadId, TOKEN),
                r -> r.status() == 200 && r.body().contains("\"missedCalls\":2"));
        var body = JSON.readTree(lead.body());
        assertEquals("open", body.at("/lead/status").asText());
        assertEquals(leadId + "#1", body.at("/lead/recovery/id").asText());
        assertEquals(2, body.at("/lead/recovery/missCount").asInt());
        assertEquals("ABANDONED", body.at("/lead/recovery/reason").asText());
        assertEquals("LSA", body.at("/lead/firstSource").asText());
        assertTrue(body.at("/lead/callable").asBoolean());
        assertEquals(List.of("main:100.2", "main:100.1"), ids(body.get("calls")));

        var missed = json("/api/calls?status=missed&limit=50");
        var first = find(missed, "main:100.1");
        assertEquals("main", first.get("pbx").asText());
        assertEquals("100.1", first.get("linkedId").asText());
        assertEquals("+19195550177", first.get("callerNumber").asText());
        assertEquals("+18005550100", first.get("did").asText());
        assertEquals("LSA", first.get("source").asText());
        assertEquals("service", first.get("queue").asText());
        assertEquals("missed", first.get("status").asText());
        assertEquals("ABANDONED", first.get("missedReason").asText());
        assertEquals(
                t.toString(), Instant.parse(first.get("startedAt").asText()).toString());
        assertEquals(t.plusSeconds(45), Instant.parse(first.get("missedAt").asText()));
        assertNotNull(Instant.parse(first.get("detectedAt").asText()));
        assertEquals(leadId, first.get("leadId").asText());
        var second = find(missed, "main:100.2");
        assertEquals("QUEUE_TIMEOUT", second.get("missedReason").asText());
        assertTrue(second.get("voicemail").asBoolean());
        assertEquals("GBP", second.get("source").asText());

        var detail = json("/api/calls/main:100.2");
        var types = new ArrayList<String>();
        detail.get("events").forEach(e -> types.add(e.get("type").asText()));
        assertEquals(List.of("Started", "Queued", "QueueExited", "Missed", "Ended"), types);
        assertEquals("QUEUE_TIMEOUT", detail.at("/events/3/detail/reason").asText());

        // 3rd call gets through: the recovery closes
        signal(new PbxSignal.CallStarted(
                "main", "100.3", t.plusSeconds(300), "+19195550177", "JANE", "+18005550100", null));
        signal(new PbxSignal.QueueJoined("main", "100.3", t.plusSeconds(301), "service", 1));
        signal(new PbxSignal.AgentConnected("main", "100.3", t.plusSeconds(310), "service", "PJSIP/201"));
        var closed = await(
                WAIT,
                () -> get(port, "/api/leads/+19195550177", TOKEN),
                r -> r.body().contains("\"status\":\"got_through\""));
        assertEquals(1, JSON.readTree(closed.body()).at("/lead/answeredCalls").asInt());
        assertTrue(ids(json("/api/leads?status=got_through")).contains(leadId));
        assertFalse(ids(json("/api/leads?status=open")).contains(leadId));
        var active = await(WAIT, () -> json("/api/calls?status=answered"), a -> ids(a).contains("main:100.3"));
        assertEquals("PJSIP/201", find(active, "main:100.3").get("answeredBy").asText());
        assertEquals(1, json("/api/leads?phone=9195550177").size());
    }

    @Test
    void callsInProgressAreActiveAndSinceFilters() throws Exception {
        Instant t = Instant.now();
        signal(new PbxSignal.CallStarted("main", "200.1", t, "+19195550188", null, "+18005550100", null));
        signal(new PbxSignal.QueueJoined("main", "200.1", t.plusSeconds(1), "service", 1));
        var active = await(WAIT, () -> json("/api/calls?status=active"), a -> ids(a).contains("main:200.1"));
        assertEquals("queued", find(active, "main:200.1").get("status").asText());
        assertTrue(ids(json("/api/calls?since=" + t.minusSeconds(1))).contains("main:200.1"));
        assertFalse(ids(json("/api/calls?since=" + t.plusSeconds(60))).contains("main:200.1"));
    }

    @Test
    void withheldCallerBecomesALeadThatCannotBeCalledBack() throws Exception {
        Instant t = Instant.now();
        signal(new PbxSignal.CallStarted("main", "300.1", t, "anonymous", null, "+18005550100", null));
        signal(new PbxSignal.Hangup("main", "300.1", t.plusSeconds(20), 16));
        var leadId = "acme:withheld:main:300.1";
        var lead = await(WAIT, () -> get(port, "/api/leads/" + leadId, TOKEN), r -> r.status() == 200);
        var body = JSON.readTree(lead.body());
        assertFalse(body.at("/lead/callable").asBoolean());
        assertEquals("WITHHELD", body.at("/lead/notCallableReason").asText());
        assertEquals("IVR_HANGUP", body.at("/lead/recovery/reason").asText());
    }

    @Test
    void badRequestsGetClearJson4xx() throws Exception {
        assertError(get(port, "/api/calls", null), 401, "unauthorized");
        assertError(get(port, "/api/calls", "wrong"), 401, "unauthorized");
        assertError(TestNodes.send(port, "GET", "/api/calls", null, null), 401, "unauthorized");
        assertError(get(port, "/api/calls?limit=abc", TOKEN), 400, "bad_request");
        assertError(get(port, "/api/calls?limit=0", TOKEN), 400, "bad_request");
        assertError(get(port, "/api/calls?limit=100000", TOKEN), 400, "bad_request");
        assertError(get(port, "/api/calls?since=yesterday", TOKEN), 400, "bad_request");
        assertError(get(port, "/api/calls?status=lost", TOKEN), 400, "bad_request");
        assertError(get(port, "/api/leads?status=maybe", TOKEN), 400, "bad_request");
        assertError(get(port, "/api/calls/main:nope", TOKEN), 404, "not_found");
        assertError(get(port, "/api/leads/acme:+19195550000", TOKEN), 404, "not_found");
        var garbage = get(port, "/api/leads/555-CALL-NOW!!", TOKEN);
        assertError(garbage, 400, "bad_request");
        assertTrue(garbage.body().contains("not a valid phone number"), garbage.body());
        assertError(get(port, "/api/leads?phone=12", TOKEN), 400, "bad_request");
        assertError(get(port, "/api/nothing-here", TOKEN), 404, "not_found");
        assertError(TestNodes.send(port, "POST", "/api/calls", TOKEN, "{not json"), 405, "method_not_allowed");
    }

    @Test
    void probesAndMetrics() throws Exception {
        assertEquals(200, get(port, "/healthz", null).status());
        var ready = get(port, "/readyz", null);
        assertEquals(200, ready.status(), ready.body());
        assertEquals(
                "ready", JSON.readTree(ready.body()).at("/components/journal").asText());
        var metrics = get(port, "/metrics", null);
        assertEquals(200, metrics.status());
        assertTrue(metrics.body().contains("# TYPE switchboard_calls_missed_total counter"), metrics.body());
        assertTrue(metrics.body().contains("switchboard_miss_detection_seconds_bucket{le=\"+Inf\"}"));
    }

    private static void assertError(TestNodes.Response r, int status, String code) throws Exception {
        assertEquals(status, r.status(), r.body());
        var body = JSON.readTree(r.body());
        assertEquals(code, body.get("error").asText(), r.body());
        assertFalse(body.get("message").asText().isBlank());
        assertFalse(r.body().contains("Exception"), "no stack traces: " + r.body());
    }

    private static JsonNode find(JsonNode array, String id) {
        for (var n : array) if (n.get("id").asText().equals(id)) return n;
        throw new AssertionError(id + " not in " + array);
    }
}
