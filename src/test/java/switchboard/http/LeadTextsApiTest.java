package switchboard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static switchboard.TestNodes.TOKEN;
import static switchboard.TestNodes.await;
import static switchboard.TestNodes.get;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import switchboard.Node;
import switchboard.TestNodes;
import switchboard.call.PbxSignal;
import switchboard.lead.LeadEntity;
import switchboard.lead.Texts;

/** A lead's texts on {@code GET /api/leads/{id}}, on a real node (H2); the read side keeps going past them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeadTextsApiTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private Node node;
    private int port;

    @BeforeAll
    void start() throws Exception {
        node = Node.start(
                TestNodes.settings(TestNodes.h2Url("LeadTextsApiTest"), "sa", "switchboard.pbx.tenant = acme\n"));
        port = node.httpPort();
    }

    @AfterAll
    void stop() throws Exception {
        node.close();
    }

    private void signal(PbxSignal s) throws Exception {
        node.signals().ask(s, Duration.ofSeconds(10)).toCompletableFuture().get();
    }

    private void miss(String linkedId, Instant t) throws Exception {
        signal(new PbxSignal.CallStarted("main", linkedId, t, "+19195550166", "SAM", "+18005550100", null));
        signal(new PbxSignal.QueueJoined("main", linkedId, t.plusSeconds(1), "service", 1));
        signal(new PbxSignal.Hangup("main", linkedId, t.plusSeconds(40), 16));
    }

    @Test
    void theConversationAndTheOptOutShowOnTheLead() throws Exception {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(600);
        String leadId = "acme:+19195550166";
        miss("500.1", t);
        await(WAIT, () -> get(port, "/api/leads/" + leadId, TOKEN), r -> r.status() == 200);

        var lead = ClusterSharding.get(node.system()).entityRefFor(LeadEntity.ENTITY_KEY, leadId);
        var out = new Texts.Text(
                "text-1",
                Texts.Direction.OUT,
                "twilio",
                null,
                "first",
                leadId + "#1",
                "Hi from Acme. Reply STOP to opt out.",
                "sending",
                null,
                t.plusSeconds(60),
                t.plusSeconds(60));
        assertTrue(lead.<LeadEntity.TextAck>ask(r -> new LeadEntity.RecordTextSent(out, r), WAIT)
                .toCompletableFuture()
                .get()
                .accepted());
        lead.<LeadEntity.TextAck>ask(
                        r -> new LeadEntity.RecordTextStatus(
                                "text-1", "twilio", "SM1", "delivered", null, t.plusSeconds(65), r),
                        WAIT)
                .toCompletableFuture()
                .get();
        var stop = new Texts.Text(
                "twilio:SM2",
                Texts.Direction.IN,
                "twilio",
                "SM2",
                "opt-out",
                null,
                "STOP",
                "received",
                null,
                t.plusSeconds(120),
                t.plusSeconds(120));
        lead.<LeadEntity.TextAck>ask(
                        r -> new LeadEntity.RecordTextReceived(stop, null, LeadEntity.Consent.OPT_OUT, "STOP", r), WAIT)
                .toCompletableFuture()
                .get();

        // a later miss still reaches the read side: the projection went past the text events
        miss("500.2", t.plusSeconds(300));
        JsonNode body = await(
                WAIT,
                () -> JSON.readTree(get(port, "/api/leads/" + leadId, TOKEN).body()),
                b -> b.at("/lead/missedCalls").asInt() == 2);
        JsonNode texts = body.get("texts");
        assertTrue(texts.get("optedOut").asBoolean());
        assertEquals("STOP", texts.get("optOutKeyword").asText());
        assertEquals(2, texts.get("recent").size());
        assertEquals("OUT", texts.at("/recent/0/direction").asText());
        assertEquals("SM1", texts.at("/recent/0/providerId").asText());
        assertEquals("delivered", texts.at("/recent/0/status").asText());
        assertEquals("IN", texts.at("/recent/1/direction").asText());
        assertEquals("STOP", texts.at("/recent/1/body").asText());
    }
}
