package switchboard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import switchboard.Node;
import switchboard.Settings;
import switchboard.TestNodes;

/** The form-id memory survives a node restart; a node without intake credentials says intake is off. */
class IntakeRestartTest {
    private static final String DB = "IntakeRestartTest";

    @Test
    void aFormRepeatedAfterARestartIsStillADuplicate() throws Exception {
        String body = IntakeApiTest.form("restart-1", "+19195550301", false, "");
        String lead = "default:+19195550301";
        java.util.List<String> before;
        try (var node = Node.start(settingsWithIntake())) {
            var r = IntakeApiTest.withToken(node.httpPort(), body);
            assertEquals(201, r.status(), r.body().toString());
            before = IntakeApiTest.journal(DB, lead);
        }
        try (var node = Node.start(settingsWithIntake())) {
            var r = IntakeApiTest.withToken(node.httpPort(), body);
            assertEquals(200, r.status(), r.body().toString());
            assertTrue(r.body().get("duplicate").asBoolean());
            assertEquals(lead, r.body().get("lead").asText());
            assertEquals(before, IntakeApiTest.journal(DB, lead), "nothing stored by the repeat");
        }
    }

    /** The intake token from a file, the way SWITCHBOARD_INTAKE_TOKEN_FILE gives it. */
    private static Settings settingsWithIntake() throws Exception {
        var file = Files.createTempFile("intake-token", ".txt");
        file.toFile().deleteOnExit();
        Files.writeString(file, IntakeApiTest.INTAKE_TOKEN + "\n");
        return Settings.load(
                null,
                Map.of(
                        "SWITCHBOARD_DB_URL",
                        TestNodes.h2Url(DB),
                        "SWITCHBOARD_HTTP_PORT",
                        "0",
                        "SWITCHBOARD_CLUSTER_PORT",
                        "0",
                        "SWITCHBOARD_API_TOKEN",
                        TestNodes.TOKEN,
                        "SWITCHBOARD_INTAKE_TOKEN_FILE",
                        file.toString()));
    }

    @Test
    void withoutATokenOrASecretIntakeIs404WithTheSettingToSet() throws Exception {
        try (var node = Node.start(TestNodes.settings(TestNodes.h2Url(DB + "-off"), "sa", null))) {
            var r = IntakeApiTest.post(
                    node.httpPort(),
                    IntakeApiTest.form("off-1", "+19195550302", false, ""),
                    "Authorization",
                    "Bearer " + TestNodes.TOKEN);
            assertEquals(404, r.status(), r.body().toString());
            assertEquals("intake_disabled", r.body().get("error").asText());
            assertTrue(r.body().get("message").asText().contains("switchboard.intake.token"));
            assertFalse(settingsDisabled(node));
        }
    }

    private static boolean settingsDisabled(Node node) throws Exception {
        // the API itself is unaffected
        return TestNodes.get(node.httpPort(), "/api/calls", TestNodes.TOKEN).status() != 200;
    }
}
