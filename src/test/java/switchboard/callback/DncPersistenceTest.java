package switchboard.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static switchboard.TestNodes.TOKEN;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import switchboard.Node;
import switchboard.TestNodes;

/** Numbers put on the do-not-call list through the API are stored: a restart keeps them off-limits. */
class DncPersistenceTest {
    @Test
    void aNumberListedThroughTheApiStaysListedAcrossARestartUntilTakenOff() throws Exception {
        var dir = Files.createTempDirectory("dnc-persistence");
        String db = "jdbc:h2:file:" + dir.resolve("db");
        try (var node = Node.start(TestNodes.settings(db, "sa", null))) {
            var put = TestNodes.send(node.httpPort(), "PUT", "/api/dnc/(919)%20555-0177", TOKEN, null);
            assertEquals(200, put.status(), put.body());
            assertEquals(
                    200,
                    TestNodes.send(node.httpPort(), "PUT", "/api/dnc/+19195550178", TOKEN, null)
                            .status());
            assertEquals(
                    200,
                    TestNodes.send(node.httpPort(), "PUT", "/api/dnc/+19195550178", TOKEN, null)
                            .status(),
                    "listing twice is fine");
            assertTrue(node.dnc().contains("+19195550177"));
        }
        try (var node = Node.start(TestNodes.settings(db, "sa", null))) {
            assertTrue(node.dnc().contains("+19195550177"), "still listed after the restart");
            assertTrue(node.dnc().contains("+19195550178"));
            assertEquals(
                    200,
                    TestNodes.send(node.httpPort(), "DELETE", "/api/dnc/+19195550178", TOKEN, null)
                            .status());
            assertFalse(node.dnc().contains("+19195550178"));
        }
        try (var node = Node.start(TestNodes.settings(db, "sa", null))) {
            assertTrue(node.dnc().contains("+19195550177"));
            assertFalse(node.dnc().contains("+19195550178"), "taken off stays off");
            assertEquals(
                    404,
                    TestNodes.send(node.httpPort(), "DELETE", "/api/dnc/+19195550178", TOKEN, null)
                            .status());
        }
    }
}
