package switchboard.overflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static switchboard.TestNodes.TOKEN;
import static switchboard.TestNodes.get;
import static switchboard.TestNodes.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import switchboard.Node;
import switchboard.TestNodes;

/**
 * Overflow policies through the API on a node with a file journal: changes are validated, take effect on the
 * running node, and are still there after a restart (the configuration file gives only the starting point).
 */
class OverflowPoliciesApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
      switchboard.overflow {
        enabled = true
        queues {
          service { max-wait = 45s, to = "queue:overflow" }
          billing { max-waiting = 4, to = "number:PJSIP/+15550001111@carrier" }
        }
      }
      """;

    private static JsonNode policies(Node node) throws Exception {
        var r = get(node.httpPort(), "/api/overflow/policies", TOKEN);
        assertEquals(200, r.status(), r.body());
        var byQueue = JSON.createObjectNode();
        for (var p : JSON.readTree(r.body()).path("policies"))
            byQueue.set(p.path("queue").asText(), p);
        return byQueue;
    }

    @Test
    void changesMadeThroughTheApiSurviveARestart() throws Exception {
        var dir = Files.createTempDirectory("overflow-policies");
        String db = "jdbc:h2:file:" + dir.resolve("db");
        try (var node = Node.start(TestNodes.settings(db, "sa", CONFIG))) {
            var configured = policies(node);
            assertEquals("45s", configured.at("/service/maxWait").asText(), configured.toString());
            assertTrue(configured.has("billing"));

            var put = send(
                    node.httpPort(),
                    "PUT",
                    "/api/overflow/policies/service",
                    TOKEN,
                    "{\"maxWait\": \"20s\", \"whenNoMemberAvailable\": true, \"sources\": [\"LSA\", \"PPC\"], \"hours\": \"07:00-19:00\", \"to\": \"offer-callback\"}");
            assertEquals(200, put.status(), put.body());
            var added = send(
                    node.httpPort(),
                    "PUT",
                    "/api/overflow/policies/sales",
                    TOKEN,
                    "{\"maxWait\": \"30s\", \"to\": \"queue:service\"}");
            assertEquals(200, added.status(), added.body());
            assertEquals(
                    200,
                    send(node.httpPort(), "DELETE", "/api/overflow/policies/billing", TOKEN, null)
                            .status());
            assertEquals(
                    404,
                    send(node.httpPort(), "DELETE", "/api/overflow/policies/billing", TOKEN, null)
                            .status(),
                    "gone already");

            // A bad change is refused with a reason and changes nothing.
            var bad = send(
                    node.httpPort(),
                    "PUT",
                    "/api/overflow/policies/sales",
                    TOKEN,
                    "{\"maxWait\": \"soon\", \"to\": \"queue:service\"}");
            assertEquals(400, bad.status(), bad.body());
            assertTrue(bad.body().contains("maxWait must be a duration"), bad.body());
            assertFalse(bad.body().contains("Exception"), bad.body());
            var loop = send(
                    node.httpPort(),
                    "PUT",
                    "/api/overflow/policies/sales",
                    TOKEN,
                    "{\"maxWait\": \"30s\", \"to\": \"queue:sales\"}");
            assertEquals(400, loop.status(), loop.body());
            assertEquals("30s", policies(node).at("/sales/maxWait").asText());
        }

        try (var node = Node.start(TestNodes.settings(db, "sa", CONFIG))) {
            var after = policies(node);
            assertEquals("20s", after.at("/service/maxWait").asText(), after.toString());
            assertTrue(after.at("/service/whenNoMemberAvailable").asBoolean(), after.toString());
            assertEquals("[\"LSA\",\"PPC\"]", after.at("/service/sources").toString());
            assertEquals("07:00-19:00", after.at("/service/hours").asText());
            assertEquals("offer-callback", after.at("/service/to").asText());
            assertEquals("queue:service", after.at("/sales/to").asText());
            assertFalse(after.has("billing"), "a removed configured policy stays removed: " + after);
        }
    }
}
