package switchboard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static switchboard.TestNodes.TOKEN;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import switchboard.Node;
import switchboard.TestNodes;
import switchboard.callback.PendingRecovery;
import switchboard.lead.CallerIdentification;
import switchboard.lead.LeadEntity;
import switchboard.lead.LeadSource;
import switchboard.readside.OpenRecoveriesQuery;

/** {@code POST /api/intake} on a real node (H2 journal) over real HTTP. */
class IntakeApiTest {
    static final String INTAKE_TOKEN = "intake-token-abc";
    static final String SECRET = "intake-secret-xyz";
    private static final String DB = "IntakeApiTest";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Node node;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        node = Node.start(TestNodes.settings(TestNodes.h2Url(DB), "sa", """
                switchboard.intake { token = "%s", secret = "%s", tolerance = 5m }
                switchboard.qualify.service-area.everywhere = ["276"]
                """.formatted(INTAKE_TOKEN, SECRET)));
        port = node.httpPort();
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    record Reply(int status, JsonNode body) {}

    /** POST /api/intake with the given headers (name, value, name, value, …). */
    static Reply post(int port, String body, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/intake"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        var r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode parsed;
        try {
            parsed = JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not a JSON body (status " + r.statusCode() + "): " + r.body());
        }
        return new Reply(r.statusCode(), parsed);
    }

    static Reply withToken(int port, String body) throws Exception {
        return post(port, body, "Authorization", "Bearer " + INTAKE_TOKEN);
    }

    /** Signed as documented: hex HMAC-SHA256 over "<t>.<body>" (computed here independently of the node's code). */
    static String signature(String secret, long t, String body) throws Exception {
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "t=" + t + ",v1="
                + HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    static String form(String id, String phone, boolean complete, String extra) {
        return "{\"id\":\"" + id + "\",\"name\":\"Pat Doe\",\"phone\":\"" + phone + "\",\"complete\":" + complete
                + ",\"message\":\"AC out since noon\"" + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    /** The journal's events of a lead (the entity's own record, not the read side). */
    static List<String> journal(String db, String leadId) throws Exception {
        try (var c = DriverManager.getConnection(TestNodes.h2Url(db), "sa", "");
                var st = c.prepareStatement(
                        "SELECT \"event_ser_manifest\" FROM \"event_journal\" WHERE \"persistence_id\" = ?"
                                + " ORDER BY \"sequence_number\"")) {
            st.setString(1, "Lead|" + leadId);
            var out = new java.util.ArrayList<String>();
            try (var rs = st.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        }
    }

    private static Optional<PendingRecovery> governorSees(String leadId) throws Exception {
        return new OpenRecoveriesQuery(node.readStore())
                .of("default").toCompletableFuture().get().stream()
                        .filter(p -> p.leadId().equals(leadId))
                        .findFirst();
    }

    @Test
    void theIntakeTokenIsAcceptedAndAnAbandonedBookingIsPickedUpByTheGovernor() throws Exception {
        var r = withToken(port, form("tok-1", "(919) 555-0201", false, "\"source\":\"ppc\",\"zip\":\"27601\""));
        assertEquals(201, r.status(), r.body().toString());
        assertEquals("default:+19195550201", r.body().get("lead").asText());
        assertFalse(r.body().get("duplicate").asBoolean());
        assertEquals("OPEN", r.body().at("/recovery/status").asText());

        var lead = TestNodes.awaitLead(
                port,
                "+19195550201",
                Duration.ofSeconds(20),
                n -> "open".equals(n.at("/lead/status").asText()));
        assertEquals("ABANDONED_BOOKING", lead.at("/lead/recovery/reason").asText(), lead.toString());
        assertEquals("PPC", lead.at("/lead/recovery/source").asText(), lead.toString());
        assertEquals("tok-1", lead.at("/forms/last/formId").asText(), lead.toString());
        assertEquals("AC out since noon", lead.at("/forms/last/message").asText());
        assertEquals("WEB", lead.at("/qualification/channel").asText(), "what the visitor gave is kept");

        // the callback governor's own feed has it, with the number to dial
        var pending = TestNodes.await(
                        Duration.ofSeconds(20), () -> governorSees("default:+19195550201"), Optional::isPresent)
                .orElseThrow();
        assertEquals("+19195550201", pending.number());
        assertEquals(LeadSource.PPC, pending.source());
        assertEquals("ABANDONED_BOOKING", pending.reason());
        // and the API's callbacks view
        var open = JSON.readTree(
                TestNodes.get(port, "/api/callbacks?status=open", TOKEN).body());
        assertTrue(open.toString().contains("default:+19195550201"), open.toString());
    }

    @Test
    void aSignedBodyIsAcceptedAndACompleteFormIsQualifiedOnTheWebWithNoRecovery() throws Exception {
        String body = form(
                "sig-1",
                "+19195550202",
                true,
                "\"service\":\"repair\",\"zip\":\"27601\",\"utm_source\":\"google\",\"utm_medium\":\"organic\"");
        var r = post(
                port,
                body,
                "X-Switchboard-Signature",
                signature(SECRET, Instant.now().getEpochSecond(), body));
        assertEquals(201, r.status(), r.body().toString());
        assertTrue(r.body().get("recovery").isNull(), r.body().toString());
        var lead = TestNodes.awaitLead(
                port,
                "+19195550202",
                Duration.ofSeconds(20),
                n -> n.at("/lead/id").isTextual());
        var q = lead.get("qualification");
        assertEquals("WEB", q.get("channel").asText(), lead.toString());
        assertEquals("repair", q.get("service").asText());
        assertEquals("27601", q.get("zip").asText());
        assertTrue(q.get("inServiceArea").asBoolean(), "decided by the node from its service area");
        assertTrue(
                lead.at("/lead/recovery").isNull() || lead.at("/lead/recovery").isMissingNode(), lead.toString());
        assertEquals("none", lead.at("/lead/status").asText(), lead.toString());
        assertEquals("SEO", lead.at("/lead/firstSource").asText(), "utm_medium=organic without a source");
        assertEquals("organic", lead.at("/forms/last/utm/utm_medium").asText());
        assertTrue(governorSees("default:+19195550202").isEmpty(), "nothing for the governor to call back");
    }

    @Test
    void theSameIdTwiceIsOneFormOneRecoveryAndNoNewEvents() throws Exception {
        String body = form("dup-1", "+19195550203", false, "");
        var first = withToken(port, body);
        assertEquals(201, first.status(), first.body().toString());
        var events = journal(DB, "default:+19195550203");
        assertEquals(1, events.stream().filter(e -> e.contains("FormReceived")).count(), events.toString());

        var second = withToken(port, body);
        assertEquals(200, second.status(), second.body().toString());
        assertTrue(second.body().get("duplicate").asBoolean());
        assertEquals(first.body().get("lead"), second.body().get("lead"));
        assertEquals(first.body().at("/recovery/id"), second.body().at("/recovery/id"));
        // signed this time, same id: still the same form
        var third = post(
                port,
                body,
                "X-Switchboard-Signature",
                signature(SECRET, Instant.now().getEpochSecond(), body));
        assertEquals(200, third.status(), third.body().toString());
        assertEquals(events, journal(DB, "default:+19195550203"), "the repeats stored nothing");

        var lead = TestNodes.awaitLead(
                port,
                "+19195550203",
                Duration.ofSeconds(20),
                n -> "open".equals(n.at("/lead/status").asText()));
        assertEquals(1, lead.at("/lead/recovery/missCount").asInt(), lead.toString());
        assertEquals(1, lead.at("/forms/recent").size(), lead.toString());
    }

    @Test
    void aFormFromACallersNumberJoinsTheLeadOfTheirCalls() throws Exception {
        var id = CallerIdentification.identify("default", "+19195550204", "US", "main:9");
        ClusterSharding.get(node.system())
                .entityRefFor(LeadEntity.ENTITY_KEY, id.leadId())
                .<LeadEntity.Ack>ask(
                        r -> new LeadEntity.RecordMiss(
                                "main:9",
                                id,
                                LeadSource.LSA,
                                "ABANDONED",
                                Instant.now().minusSeconds(60),
                                false,
                                r),
                        Duration.ofSeconds(10))
                .toCompletableFuture()
                .join();
        var r = withToken(port, form("join-1", "919.555.0204", false, ""));
        assertEquals(201, r.status(), r.body().toString());
        assertEquals(id.leadId(), r.body().get("lead").asText());
        var lead = TestNodes.awaitLead(
                port,
                "+19195550204",
                Duration.ofSeconds(20),
                n -> n.at("/lead/recovery/missCount").asInt() == 2);
        assertEquals("ABANDONED", lead.at("/lead/recovery/reason").asText(), "one recovery: the call's");
    }

    @Test
    void wrongOrMissingCredentialsAre401AndNeitherTokenCrossesOver() throws Exception {
        String body = form("auth-1", "+19195550205", false, "");
        for (var headers : List.of(
                new String[] {},
                new String[] {"Authorization", "Bearer wrong"},
                new String[] {"Authorization", "Bearer " + TOKEN}, // the API's admin token is not an intake token
                new String[] {"Authorization", "Basic " + INTAKE_TOKEN},
                new String[] {"X-Switchboard-Signature", "t=1,v1=00"},
                new String[] {"X-Switchboard-Signature", "garbage"})) {
            var r = post(port, body, headers);
            assertEquals(401, r.status(), List.of(headers) + " → " + r.body());
            assertEquals("unauthorized", r.body().get("error").asText());
            assertFalse(r.body().get("message").asText().isBlank());
        }
        // the intake token grants nothing else
        assertEquals(401, TestNodes.get(port, "/api/calls", INTAKE_TOKEN).status());
        assertEquals(401, TestNodes.get(port, "/api/leads", INTAKE_TOKEN).status());
        assertEquals(
                401,
                TestNodes.send(port, "POST", "/api/leads/+19195550205/callback", INTAKE_TOKEN, null)
                        .status());
        // and nothing was stored for the refused form
        assertTrue(journal(DB, "default:+19195550205").isEmpty());
    }

    @Test
    void anOldOrForeignSignatureIs401() throws Exception {
        String body = form("replay-1", "+19195550206", false, "");
        long now = Instant.now().getEpochSecond();
        var old = post(port, body, "X-Switchboard-Signature", signature(SECRET, now - 3600, body));
        assertEquals(401, old.status(), old.body().toString());
        assertTrue(
                old.body().get("message").asText().contains("too old"),
                old.body().toString());
        var other = post(port, body, "X-Switchboard-Signature", signature("not-the-secret", now, body));
        assertEquals(401, other.status());
        // signed, then the body altered in transit
        var altered = post(
                port,
                body.replace("+19195550206", "+19195550299"),
                "X-Switchboard-Signature",
                signature(SECRET, now, body));
        assertEquals(401, altered.status());
        assertTrue(journal(DB, "default:+19195550206").isEmpty());
        assertTrue(journal(DB, "default:+19195550299").isEmpty());
    }

    @Test
    void malformedBodiesAre400WithTheReason() throws Exception {
        Map<String, String> cases = Map.of(
                "{not json", "not valid JSON",
                "[1,2]", "JSON object",
                "{\"phone\":\"+19195550207\",\"complete\":true}", "\"id\"",
                "{\"id\":\"m-1\",\"complete\":true}", "\"phone\"",
                "{\"id\":\"m-1\",\"phone\":\"+19195550207\"}", "\"complete\"",
                "{\"id\":\"m-1\",\"phone\":\"+19195550207\",\"complete\":\"yes\"}", "\"complete\"",
                "{\"id\":\"m-1\",\"phone\":19195550207,\"complete\":true}", "\"phone\"",
                "{\"id\":\"m-1\",\"phone\":\"+19195550207\",\"complete\":true,\"utm\":{\"source\":\"g\"}}",
                        "utm_source");
        for (var c : cases.entrySet()) {
            var r = withToken(port, c.getKey());
            assertEquals(400, r.status(), c.getKey() + " → " + r.body());
            assertEquals("bad_request", r.body().get("error").asText());
            assertTrue(r.body().get("message").asText().contains(c.getValue()), c.getKey() + " → " + r.body());
        }
        var empty = withToken(port, "");
        assertEquals(400, empty.status(), empty.body().toString());
        assertTrue(journal(DB, "default:+19195550207").isEmpty());
    }

    @Test
    void unusableValuesAre422WithTheReason() throws Exception {
        var phone = withToken(port, form("bad-phone", "555-01", false, ""));
        assertEquals(422, phone.status(), phone.body().toString());
        assertEquals("unprocessable", phone.body().get("error").asText());
        assertTrue(
                phone.body().get("message").asText().contains("\"phone\""),
                phone.body().toString());
        var zip = withToken(port, form("bad-zip", "+19195550208", true, "\"zip\":\"276\""));
        assertEquals(422, zip.status());
        assertTrue(zip.body().get("message").asText().contains("\"zip\""));
        var service = withToken(port, form("bad-svc", "+19195550208", true, "\"service\":\"roofing\""));
        assertEquals(422, service.status());
        assertTrue(service.body().get("message").asText().contains("menu"));
        var source = withToken(port, form("bad-src", "+19195550208", true, "\"source\":\"facebook\""));
        assertEquals(422, source.status());
        assertTrue(journal(DB, "default:+19195550208").isEmpty(), "nothing stored for an unusable form");
    }

    @Test
    void aHugeBodyIs413AndOtherMethodsAre405() throws Exception {
        var big = withToken(port, form("big", "+19195550209", false, "\"x\":\"" + "a".repeat(70_000) + "\""));
        assertEquals(413, big.status(), big.body().toString());
        var get = TestNodes.get(port, "/api/intake", INTAKE_TOKEN);
        assertEquals(405, get.status(), get.body());
        assertNotNull(JSON.readTree(get.body()).get("error"));
    }
}
