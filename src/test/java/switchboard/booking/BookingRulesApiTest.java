package switchboard.booking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static switchboard.TestNodes.TOKEN;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import switchboard.Node;
import switchboard.Settings;
import switchboard.TestNodes;
import switchboard.lead.CallerIdentification;
import switchboard.lead.LeadEntity;
import switchboard.lead.LeadSource;

/**
 * The booking-rule table over HTTP, on a real node with an H2 file: the configuration's table is shown in the shape
 * of {@code switchboard.booking.rules}; a table put through the API decides the next plan without a restart, survives
 * one, and a removal goes back to the configuration; a bad table is a 400 naming the rule and field, and changes
 * nothing.
 */
class BookingRulesApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOCON = """
            switchboard.booking {
              time-zone = "America/New_York"
              boards { service { flows = [BOOK_SERVICE], windows {
                monday = ["08:00-12:00 x3"], tuesday = ["08:00-12:00 x3"], wednesday = ["08:00-12:00 x3"],
                thursday = ["08:00-12:00 x3"], friday = ["08:00-12:00 x3"], saturday = ["08:00-12:00 x3"],
                sunday = ["08:00-12:00 x3"] } } }
            }
            switchboard.qualify.service-area.everywhere = ["276"]
            """;
    private static final String REPAIRS_TO_A_PERSON = """
            {"rules": [
              {"name": "repairs-to-a-person", "when": {"services": ["repair"], "urgency": ["soon"], "in-area": true},
               "then": "HUMAN_REVIEW"},
              {"name": "everything-else", "then": "book_service"}
            ]}""";

    @TempDir
    Path dir;

    private static String missedCaller(Node node, String number) {
        var id = CallerIdentification.identify("acme", number, "US", "test:" + number);
        ClusterSharding.get(node.system())
                .entityRefFor(LeadEntity.ENTITY_KEY, id.leadId())
                .<LeadEntity.Ack>ask(
                        r -> new LeadEntity.RecordMiss(
                                "test:" + number, id, LeadSource.LSA, "ABANDONED", Instant.now(), false, r),
                        Duration.ofSeconds(10))
                .toCompletableFuture()
                .join();
        return id.leadId();
    }

    private static JsonNode call(int port, String method, String path, String body, int status) throws Exception {
        var r = method.equals("GET")
                ? TestNodes.get(port, path, TOKEN)
                : TestNodes.send(port, method, path, TOKEN, body);
        assertEquals(status, r.status(), method + " " + path + " → " + r.body());
        return JSON.readTree(r.body());
    }

    private static JsonNode plan(int port, String lead) throws Exception {
        return call(port, "GET", "/api/leads/" + lead + "/plan", null, 200);
    }

    @Test
    void aTablePutThroughTheApiDecidesTheNextPlanSurvivesARestartAndCanBeRemoved() throws Exception {
        Settings settings =
                TestNodes.settings("jdbc:h2:file:" + dir.resolve("sb") + ";DB_CLOSE_ON_EXIT=FALSE", "sa", HOCON);
        String lead;
        try (var node = Node.start(settings)) {
            int port = node.httpPort();
            lead = missedCaller(node, "+19195553000");
            call(
                    port,
                    "PUT",
                    "/api/leads/" + lead + "/qualification",
                    "{\"service\":\"repair\",\"zip\":\"27601\",\"urgency\":\"soon\"}",
                    200);

            // The configuration's table (here the shipped one), in the HOCON shape.
            var configured = call(port, "GET", "/api/booking/rules", null, 200);
            assertEquals("configuration", configured.get("source").asText());
            assertEquals(10, configured.get("rules").size(), configured.toString());
            assertEquals(false, configured.at("/rules/1/when/in-area").asBoolean(true), configured.toString());
            assertEquals("emergency", configured.at("/rules/2/when/urgency/0").asText());
            assertEquals("EMERGENCY", configured.at("/rules/2/then").asText());
            var before = plan(port, lead);
            assertEquals("BOOK_SERVICE", before.get("flow").asText(), before.toString());
            assertEquals("book-service", before.get("rule").asText());
            assertTrue(before.get("offer").size() > 0, before.toString());

            // A new table applies to the next plan, without a restart.
            var put = call(port, "PUT", "/api/booking/rules", REPAIRS_TO_A_PERSON, 200);
            assertEquals("api", put.get("source").asText());
            assertEquals("HUMAN_REVIEW", put.at("/rules/0/then").asText());
            assertEquals(
                    "BOOK_SERVICE", put.at("/rules/1/then").asText(), "names are given back as the docs write them");
            var after = plan(port, lead);
            assertEquals("HUMAN_REVIEW", after.get("flow").asText(), after.toString());
            assertEquals("repairs-to-a-person", after.get("rule").asText());
            assertEquals(0, after.get("offer").size());

            // Bad tables: a 400 naming the rule and the field; the table in effect stays.
            assertBad(port, "{\"rules\":[{\"name\":\"x\",\"then\":\"MAYBE\"}]}", "rules[0].then");
            assertBad(
                    port,
                    "{\"rules\":[{\"name\":\"a\",\"then\":\"INSTALL\"},{\"name\":\"b\",\"when\":{\"urgency\":[\"yesterday\"]},\"then\":\"INSTALL\"}]}",
                    "rules[1].when.urgency: 'yesterday' is not one of");
            assertBad(
                    port,
                    "{\"rules\":[{\"name\":\"x\",\"when\":{\"hours\":[\"lunch\"]},\"then\":\"INSTALL\"}]}",
                    "rules[0].when.hours");
            assertBad(
                    port,
                    "{\"rules\":[{\"name\":\"x\",\"when\":{\"kinds\":[\"roof\"]},\"then\":\"INSTALL\"}]}",
                    "rules[0].when.kinds");
            assertBad(
                    port,
                    "{\"rules\":[{\"name\":\"x\",\"when\":{\"customer\":[\"vip\"]},\"then\":\"INSTALL\"}]}",
                    "rules[0].when.customer");
            assertBad(
                    port,
                    "{\"rules\":[{\"name\":\"x\",\"when\":{\"services\":[\"roofing\"]},\"then\":\"INSTALL\"}]}",
                    "rules[0].when.services");
            assertBad(
                    port,
                    "{\"rules\":[{\"name\":\"x\",\"when\":{\"offered\":\"no\"},\"then\":\"INSTALL\"}]}",
                    "rules[0].when.offered: must be true or false");
            assertBad(
                    port,
                    "{\"rules\":[{\"name\":\"x\",\"when\":{\"urgency\":\"soon\"},\"then\":\"INSTALL\"}]}",
                    "rules[0].when.urgency: must be a list");
            assertBad(
                    port,
                    "{\"rules\":[{\"name\":\"x\",\"when\":{\"urgncy\":[\"soon\"]},\"then\":\"INSTALL\"}]}",
                    "rules[0].when: unknown field 'urgncy'");
            assertBad(port, "{\"rules\":[{\"name\":7,\"then\":\"INSTALL\"}]}", "rules[0].name: must be a string");
            assertBad(
                    port,
                    "{\"rules\":[{\"name\":\"x\",\"then\":\"INSTALL\"},{\"name\":\"x\",\"then\":\"INSTALL\"}]}",
                    "rules[1].name");
            assertBad(port, "{\"rules\":[\"x\"]}", "rules[0]: must be a rule");
            assertBad(port, "{\"rules\":{}}", "body must be {\\\"rules\\\"");
            assertBad(port, "{\"rulez\":[]}", "unknown field 'rulez'");
            assertBad(port, "not json", "not valid JSON");
            assertEquals("repairs-to-a-person", plan(port, lead).get("rule").asText(), "nothing changed");

            // What GET answers can be put back as it is (the configuration's table, now stored as the API's).
            var copied = call(port, "PUT", "/api/booking/rules", configured.toString(), 200);
            assertEquals("api", copied.get("source").asText());
            assertEquals(configured.get("rules"), copied.get("rules"));
            assertEquals("book-service", plan(port, lead).get("rule").asText());

            // An empty table is allowed: no rule matches, so a person decides.
            call(port, "PUT", "/api/booking/rules", "[]", 200);
            var nobody = plan(port, lead);
            assertEquals("HUMAN_REVIEW", nobody.get("flow").asText());
            assertEquals(BookingRules.NO_RULE_MATCHED, nobody.get("rule").asText());

            call(port, "PUT", "/api/booking/rules", REPAIRS_TO_A_PERSON, 200);
        }

        // A restart on the same database keeps the table put through the API.
        try (var node = Node.start(settings)) {
            int port = node.httpPort();
            var kept = call(port, "GET", "/api/booking/rules", null, 200);
            assertEquals("api", kept.get("source").asText(), kept.toString());
            assertEquals("api", kept.get("changedBy").asText());
            assertFalse(kept.get("changedAt").isNull());
            assertEquals("repairs-to-a-person", plan(port, lead).get("rule").asText());

            // Removing it goes back to the configuration's table.
            var removed = call(port, "DELETE", "/api/booking/rules", null, 200);
            assertEquals("configuration", removed.get("source").asText());
            assertEquals(10, removed.get("rules").size());
            assertEquals("book-service", plan(port, lead).get("rule").asText());
            assertEquals(
                    404,
                    TestNodes.get(port, "/api/leads/acme:+19195559999/plan", TOKEN)
                            .status());
        }
    }

    private static void assertBad(int port, String body, String says) throws Exception {
        var r = TestNodes.send(port, "PUT", "/api/booking/rules", TOKEN, body);
        assertEquals(400, r.status(), body + " → " + r.body());
        assertTrue(r.body().contains(says), body + " → " + r.body());
        assertFalse(r.body().contains("Exception"), r.body());
    }
}
