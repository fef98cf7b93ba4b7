package switchboard.overflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static switchboard.TestNodes.TOKEN;
import static switchboard.TestNodes.await;
import static switchboard.TestNodes.get;
import static switchboard.TestNodes.metric;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import switchboard.Node;
import switchboard.TestNodes;
import switchboard.pbx.LabAccess;

/**
 * Overflow through the real Asterisk 22 lab with SIPp phones: the service queue's agents ring forever, so a
 * caller waits; at the policy's wait they are moved to the overflow queue, where extension 101 answers. The
 * call ends answered via overflow with its hop, and the lead is not opened for a callback.
 */
@Tag("asterisk")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealAsteriskOverflowTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);
    private final List<Process> phones = new ArrayList<>();
    private Node node;

    @BeforeAll
    void start() throws Exception {
        LabAccess.start();
        node = LabAccess.startNode("RealAsteriskOverflowTest", """
        switchboard.overflow {
          enabled = true
          ring-grace = 3s
          poll = 100ms
          queues { service { max-wait = 8s, to = "queue:overflow" } }
        }
        """);
    }

    @AfterEach
    void phonesDown() throws Exception {
        for (var p : phones) LabAccess.stop(p);
        phones.clear();
    }

    @AfterAll
    void stop() throws Exception {
        if (node != null) node.close();
        LabAccess.stop();
    }

    private void phone(String... args) throws Exception {
        phones.add(LabAccess.sipp(args));
    }

    private Process caller(int port, String number, int holdMs) throws Exception {
        var p = LabAccess.sippCaller(port, "caller", "+18005550100", number, Integer.toString(holdMs), "1", "1");
        phones.add(p);
        return p;
    }

    private JsonNode lead(String number, java.util.function.Predicate<JsonNode> done) throws Exception {
        return TestNodes.awaitLead(node.httpPort(), number, WAIT, done);
    }

    @Test
    void aCallerWaitingPastTheLimitIsMovedToTheOverflowQueueAndAnsweredThere() throws Exception {
        phone("agent-ring-forever", "5071", "90");
        phone("agent-ring-forever", "5072", "90");
        // extension 101, the overflow queue's member, logging the SIP messages it gets (to read what its display
        // showed)
        Path logs = Files.createTempDirectory("overflow-csr");
        var csr = new ProcessBuilder(
                        "bash", LabAccess.dir().resolve("sipp.sh").toString(), "agent-answer", "5073", "90")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        csr.environment().put("SIPP_TRACE_MSG", "1");
        csr.environment().put("SIPP_LOG_DIR", logs.toString());
        phones.add(csr.start());
        String number = "+19195550701";
        // While they wait, GET /api/queues shows them in the service queue with its ringing members.
        caller(5081, number, 20_000);
        var queues = await(
                WAIT,
                () -> JSON.readTree(get(node.httpPort(), "/api/queues", TOKEN).body()),
                q -> {
                    for (var v : q.path("queues"))
                        if (v.path("queue").asText().equals("service")
                                && v.path("waiting").size() == 1) return true;
                    return false;
                });
        assertTrue(queues.toString().contains("\"overflowPolicy\""), queues.toString());

        var answered = lead(number, l -> {
            for (var c : l.path("calls"))
                if ("answered".equals(c.path("status").asText())
                        && c.path("hops").asInt() == 1) return true;
            return false;
        });
        assertTrue(
                !"open".equals(answered.at("/lead/status").asText()),
                "answered via overflow: no recovery opened: " + answered);
        var call = answered.path("calls").get(0);
        assertEquals("queue:overflow", call.path("reroutedTo").asText(), call.toString());
        assertTrue(
                call.path("answeredBy").asText().contains("101")
                        || call.path("answeredBy").asText().toLowerCase().contains("office"),
                call.toString());

        // The hop history: moved from service after 8 s (± 1 s) of waiting, because of the wait.
        var detail = JSON.readTree(
                get(node.httpPort(), "/api/calls/" + call.path("id").asText(), TOKEN)
                        .body());
        JsonNode hop = null;
        for (var e : detail.path("events")) if (e.path("type").asText().equals("Rerouted")) hop = e.path("detail");
        assertTrue(hop != null, detail.toString());
        assertEquals("service", hop.path("fromQueue").asText(), hop.toString());
        assertEquals("WAIT", hop.path("reason").asText(), hop.toString());
        long waited = hop.path("waitedSeconds").asLong();
        assertTrue(waited >= 7 && waited <= 9, "moved at 8 s (± 1 s): " + waited);
        var metrics = get(node.httpPort(), "/metrics", null).body();
        assertEquals(1, metric(metrics, "switchboard_overflow_moves_total{reason=\"WAIT\"}"), metrics);

        // The receiving CSR's phone showed who this is: the lead's source and which of their calls this is.
        var names = new ArrayList<String>();
        try (var files = Files.list(logs)) {
            for (var f : files.filter(p -> p.getFileName().toString().endsWith("-messages.log"))
                    .toList()) {
                var m = java.util.regex.Pattern.compile("(?m)^From: \"([^\"]*)\"")
                        .matcher(Files.readString(f));
                while (m.find()) names.add(m.group(1));
            }
        }
        assertTrue(names.contains("LSA 1st call"), "caller name on the overflow CSR's INVITE: " + names);
    }

    private static final String CONFIGURED = "{\"maxWait\": \"8s\", \"to\": \"queue:overflow\"}";

    private void putPolicy(String json) throws Exception {
        var r = TestNodes.send(node.httpPort(), "PUT", "/api/overflow/policies/service", TOKEN, json);
        assertEquals(200, r.status(), r.body());
    }

    private JsonNode hopOf(String callId) throws Exception {
        var detail = JSON.readTree(
                get(node.httpPort(), "/api/calls/" + callId, TOKEN).body());
        for (var e : detail.path("events")) if (e.path("type").asText().equals("Rerouted")) return e.path("detail");
        return null;
    }

    /**
     * Both agents of the service queue paused: with the configured policy (wait 8 s) nothing happens at once; after
     * a PUT through the API (no restart) the next caller is moved at once because no member can take the call.
     * After a DELETE nobody is moved, and a caller who gives up is an ordinary miss.
     */
    @Test
    void policyChangesThroughTheApiTakeEffectAtOnceAndAQueueWithoutAFreeMemberMovesItsCallerAtOnce() throws Exception {
        phone("agent-answer", "5073", "120"); // extension 101, the overflow queue's member
        LabAccess.cli("queue pause member PJSIP/201 queue service");
        LabAccess.cli("queue pause member PJSIP/202 queue service");
        try {
            await(
                    WAIT,
                    () -> JSON.readTree(
                            get(node.httpPort(), "/api/queues", TOKEN).body()),
                    q -> {
                        for (var v : q.path("queues")) {
                            if (!v.path("queue").asText().equals("service")) continue;
                            int paused = 0;
                            for (var m : v.path("members"))
                                if (m.path("state").asText().equals("paused")) paused++;
                            return paused == 2;
                        }
                        return false;
                    });
            putPolicy("{\"maxWait\": \"8s\", \"whenNoMemberAvailable\": true, \"to\": \"queue:overflow\"}");
            String moved = "+19195550711";
            caller(5082, moved, 12_000);
            var lead = lead(moved, l -> {
                for (var c : l.path("calls"))
                    if ("answered".equals(c.path("status").asText())
                            && c.path("hops").asInt() == 1) return true;
                return false;
            });
            var hop = hopOf(lead.path("calls").get(0).path("id").asText());
            assertEquals("NO_MEMBER_AVAILABLE", hop.path("reason").asText(), hop.toString());
            assertTrue(hop.path("waitedSeconds").asLong() <= 1, "moved at once: " + hop);

            // DELETE: the same paused queue keeps its caller; they give up after 12 s and are an ordinary miss.
            var deleted = TestNodes.send(node.httpPort(), "DELETE", "/api/overflow/policies/service", TOKEN, null);
            assertEquals(200, deleted.status(), deleted.body());
            String kept = "+19195550712";
            caller(5083, kept, 12_000);
            var missed = lead(kept, l -> {
                for (var c : l.path("calls"))
                    if ("missed".equals(c.path("status").asText())) return true;
                return false;
            });
            var call = missed.path("calls").get(0);
            assertEquals(0, call.path("hops").asInt(), "no policy, no move: " + call);
            assertEquals("abandoned", call.path("missedReason").asText().toLowerCase(), call.toString());
        } finally {
            LabAccess.cli("queue unpause member PJSIP/201 queue service");
            LabAccess.cli("queue unpause member PJSIP/202 queue service");
            putPolicy(CONFIGURED);
        }
    }

    /**
     * Too many waiting, for chosen sources only: with both agents paused and at most 1 waiting allowed for GBP
     * callers, two LSA callers wait on unmoved, and a GBP caller who joins behind them is moved to the overflow queue.
     */
    @Test
    void tooManyWaitingMovesOnlyCallersFromTheChosenSources() throws Exception {
        phone("agent-answer", "5073", "120");
        LabAccess.cli("queue pause member PJSIP/201 queue service");
        LabAccess.cli("queue pause member PJSIP/202 queue service");
        try {
            putPolicy("{\"maxWaiting\": 1, \"sources\": [\"GBP\"], \"to\": \"queue:overflow\"}");
            String first = "+19195550721", second = "+19195550722", gbp = "+19195550723";
            caller(5084, first, 14_000);
            awaitWaiting(1);
            caller(5085, second, 14_000);
            awaitWaiting(2);
            var p = LabAccess.sippCaller(
                    5086, "caller", "+18005550101", gbp, "10000", "1", "1"); // the GBP line, same queue
            phones.add(p);
            var moved = lead(gbp, l -> {
                for (var c : l.path("calls"))
                    if ("answered".equals(c.path("status").asText())
                            && c.path("hops").asInt() == 1) return true;
                return false;
            });
            var hop = hopOf(moved.path("calls").get(0).path("id").asText());
            assertEquals("TOO_MANY_WAITING", hop.path("reason").asText(), hop.toString());
            for (var n : List.of(first, second)) {
                var l = lead(
                        n,
                        x -> x.path("calls").size() == 1
                                && "missed"
                                        .equals(x.path("calls")
                                                .get(0)
                                                .path("status")
                                                .asText()));
                assertEquals(
                        0,
                        l.path("calls").get(0).path("hops").asInt(),
                        "an LSA caller is not moved by a GBP-only policy: " + l);
            }
        } finally {
            LabAccess.cli("queue unpause member PJSIP/201 queue service");
            LabAccess.cli("queue unpause member PJSIP/202 queue service");
            putPolicy(CONFIGURED);
        }
    }

    private void awaitWaiting(int n) throws Exception {
        await(
                WAIT,
                () -> JSON.readTree(get(node.httpPort(), "/api/queues", TOKEN).body()),
                q -> {
                    for (var v : q.path("queues"))
                        if (v.path("queue").asText().equals("service")
                                && v.path("waiting").size() == n) return true;
                    return false;
                });
    }
}
