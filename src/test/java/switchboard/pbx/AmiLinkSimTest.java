package switchboard.pbx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static switchboard.TestNodes.TOKEN;
import static switchboard.TestNodes.await;
import static switchboard.TestNodes.get;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import switchboard.Node;
import switchboard.Settings;
import switchboard.TestNodes;
import switchboard.tools.sim.AmiServer;

/**
 * The unchanged pbx adapter (Asterisk-Java) against the AMI wire-protocol simulator: what a real PBX cannot
 * be made to do on demand — garbage on the wire, a cut link. The call paths themselves are proven against a
 * real Asterisk in the lab tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AmiLinkSimTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private AmiServer pbx;
    private AmiServer north;
    private Node node;

    @BeforeAll
    void start() throws Exception {
        pbx = new AmiServer(0, "switchboard", "sim-secret");
        north = new AmiServer(0, "switchboard", "north-secret"); // a second site's PBX, another tenant
        var env = TestNodes.amiNodeEnv("AmiLinkSimTest", pbx.port(), "sim-secret");
        var file = java.nio.file.Files.createTempFile("two-pbxes", ".conf");
        java.nio.file.Files.writeString(
                file,
                "switchboard.more-pbxes = [ { id = north, tenant = northco, ami { host = \"127.0.0.1\", port = "
                        + north.port() + ", secret = north-secret } } ]\n");
        node = Node.start(Settings.load(file, env));
        await(WAIT, () -> get(node.httpPort(), "/readyz", null), r -> r.status() == 200);
    }

    @AfterAll
    void stop() throws Exception {
        node.close();
        pbx.close();
        north.close();
    }

    private String missedReason(String callId) throws Exception {
        var r = await(
                WAIT,
                () -> get(node.httpPort(), "/api/calls/" + callId, TOKEN),
                x -> x.status() == 200 && x.body().contains("\"endedAt\":\""));
        return JSON.readTree(r.body()).at("/call/missedReason").asText();
    }

    @Test
    void aQueueAbandonOverTheWireIsClassifiedWithItsSource() throws Exception {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(30);
        pbx.send(AmiFrames.queueAbandon("1752600000.1", "+19195550101", "+18005550100", t0, 25));
        assertEquals("ABANDONED", missedReason("main:1752600000.1"));
        var call = JSON.readTree(get(node.httpPort(), "/api/calls/main:1752600000.1", TOKEN)
                        .body())
                .get("call");
        assertEquals("LSA", call.get("source").asText());
        assertEquals("service", call.get("queue").asText());
        assertEquals("+19195550101", call.get("callerNumber").asText());
        assertEquals(t0.plusSeconds(25), Instant.parse(call.get("missedAt").asText()));
    }

    @Test
    void eachPbxHasItsOwnLinkAndTenant() throws Exception {
        var ready = JSON.readTree(get(node.httpPort(), "/readyz", null).body());
        assertEquals("connected", ready.at("/components/pbx:north").asText(), ready.toString());
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(30);
        north.send(AmiFrames.queueAbandon("1752600000.9", "+19195550109", "+18005550100", t0, 25));
        assertEquals("ABANDONED", missedReason("north:1752600000.9"));
        var call = JSON.readTree(get(node.httpPort(), "/api/calls/north:1752600000.9", TOKEN)
                        .body())
                .get("call");
        assertEquals("north", call.get("pbx").asText());
        assertEquals("northco:+19195550109", call.get("leadId").asText());
    }

    @Test
    void malformedInputNeverStopsTheLink() throws Exception {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(30);
        pbx.send("Event: Newchannel\r\nPrivilege: call,all\r\nUniqueid: 17526"); // truncated mid-frame…
        pbx.send("\r\n\r\n"); // …then closed by a blank line
        pbx.send("Event: SomethingNobodyKnows\r\nFoo: bar\r\n\r\n");
        pbx.send(
                "Event: Hangup\r\nPrivilege: call,all\r\nTimestamp: not-a-number\r\nUniqueid: x\r\nLinkedid: x\r\nCause: banana\r\n\r\n");
        pbx.send("Event: QueueCallerJoin\r\nPrivilege: agent,all\r\nPosition: -x\r\nLinkedid: \r\n\r\n");
        pbx.send("Event: VarSet\r\nPrivilege: dialplan,all\r\nVariable: SB_SOURCE\r\nValue: " + "A".repeat(200_000)
                + "\r\n\r\n"); // a huge header
        pbx.send("no colon at all\r\n:::\r\n\r\n");
        pbx.send("Event: Newchannel\r\n\u0000\u0001\u00ff binary\r\n\r\n");
        // a real call after the garbage is still heard and classified
        pbx.send(AmiFrames.queueAbandon("1752600000.2", "+19195550102", "+18005550100", t0, 4));
        assertEquals("SHORT_ABANDON", missedReason("main:1752600000.2"));
        assertEquals(200, get(node.httpPort(), "/readyz", null).status());
        var metrics = get(node.httpPort(), "/metrics", null).body();
        assertTrue(metrics.contains("switchboard_ami_events_ignored_total{pbx=\"main\"}"), metrics);
    }

    @Test
    void aCutLinkReconnectsAndResyncs() throws Exception {
        pbx.dropConnections();
        // the library reconnects by itself; readiness reports the link again once it is up
        await(WAIT, () -> pbx.loggedIn(), n -> n >= 1);
        await(
                WAIT,
                () -> get(node.httpPort(), "/readyz", null),
                r -> r.status() == 200 && r.body().contains("\"pbx:main\":\"connected\""));
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(30);
        pbx.send(AmiFrames.queueAbandon("1752600000.3", "+19195550103", "+18005550100", t0, 20));
        assertEquals("ABANDONED", missedReason("main:1752600000.3"));
    }
}
