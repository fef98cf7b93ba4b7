package switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import switchboard.common.SettingsException;
import switchboard.lead.LeadSource;

class SettingsTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreAZeroSetupH2Node() {
        var s = Settings.load(null, Map.of());
        assertTrue(s.db().url().startsWith("jdbc:h2:file:"));
        assertTrue(s.db().url().contains("DATABASE_TO_UPPER=false"));
        assertEquals(8080, s.http().port());
        assertFalse(s.pbx().ami().configured());
        assertEquals(Duration.ofSeconds(10), s.calls().shortAbandonThreshold());
    }

    @Test
    void environmentOverridesTheFileWhichOverridesDefaults() throws Exception {
        Path file = dir.resolve("switchboard.conf");
        Files.writeString(file, """
        switchboard.http.port = 9090
        switchboard.db.url = "jdbc:postgresql://127.0.0.1:5432/from_file"
        switchboard.sources.dids { "+1 (800) 555-0100" = lsa }
        """);
        var fileOnly = Settings.load(file, Map.of());
        assertEquals(9090, fileOnly.http().port());
        assertTrue(fileOnly.db().isPostgres());
        assertEquals(LeadSource.LSA, fileOnly.sources().byDid().get("18005550100"));
        var withEnv =
                Settings.load(file, Map.of("SWITCHBOARD_HTTP_PORT", "7070", "SWITCHBOARD_DB_URL", "jdbc:h2:mem:x"));
        assertEquals(7070, withEnv.http().port());
        assertFalse(withEnv.db().isPostgres());
    }

    @Test
    void morePbxesInheritFromThePrimaryAndAreCheckedByKey() throws Exception {
        Path file = dir.resolve("sites.conf");
        Files.writeString(file, """
        switchboard.pbx { tenant = acme, region = CA }
        switchboard.more-pbxes = [ { id = north, ami { host = "10.0.0.5", secret = s } }, { id = south, tenant = acme-south } ]
        """);
        var s = Settings.load(file, Map.of());
        assertEquals(3, s.pbxes().size());
        var north = s.pbxes().get(1);
        assertEquals("acme", north.tenant());
        assertEquals("CA", north.region());
        assertEquals(5038, north.ami().port());
        assertEquals("acme-south", s.pbxes().get(2).tenant());
        assertFalse(s.pbxes().get(2).ami().configured());

        Files.writeString(file, "switchboard.more-pbxes = [ { id = main } ]\n");
        assertTrue(assertThrows(SettingsException.class, () -> Settings.load(file, Map.of()))
                .getMessage()
                .startsWith("switchboard.more-pbxes.0.id: PBX id 'main' is used twice"));
        Files.writeString(file, "switchboard.more-pbxes = [ { id = x, ami { host = h } } ]\n");
        assertTrue(assertThrows(SettingsException.class, () -> Settings.load(file, Map.of()))
                .getMessage()
                .startsWith("switchboard.more-pbxes.0.ami.secret: is required"));
    }

    @Test
    void callbackSettingsAreReadAndEachBadOneNamesItsKey() throws Exception {
        var d = Settings.load(null, Map.of()).callbacks();
        assertFalse(d.enabled(), "off until the PBX side is set up");
        assertEquals(java.time.Duration.ofSeconds(60), d.gracePeriod());
        assertEquals(3, d.limits().maxConcurrent());
        assertEquals(
                switchboard.callback.Governor.Release.WHEN_AGENT_FREE,
                d.limits().release());
        assertEquals(java.time.LocalTime.of(8, 0), d.window().from());
        assertEquals(7, d.businessHours().size(), "no business hours configured: every day");
        assertFalse(d.amd(), "answering-machine detection is opt-in");
        assertEquals(java.time.Duration.ofSeconds(60), d.queueTimeout());

        Path file = dir.resolve("cb.conf");
        Files.writeString(file, """
        switchboard.callbacks { enabled = true, release = customer-first, overshoot = 2, calling-window = "09:00-20:30"
          business-hours { monday = "07:00-18:00", sunday = closed }
          retry { busy = [1m], max-attempts = 2 } }
        """);
        var c = Settings.load(file, Map.of()).callbacks();
        assertTrue(c.enabled());
        assertEquals(
                switchboard.callback.Governor.Release.CUSTOMER_FIRST, c.limits().release());
        assertEquals(java.time.LocalTime.of(20, 30), c.window().to());
        assertEquals(1, c.businessHours().size(), "only monday is open");
        assertEquals(
                java.util.List.of(java.time.Duration.ofMinutes(1)),
                c.retry().delays().get(switchboard.callback.RetrySchedule.Outcome.BUSY));
        assertEquals(2, c.retry().maxAttempts());

        for (var bad : java.util.List.of(
                java.util.List.of(
                        "switchboard.callbacks.dial = \"PJSIP/carrier\"",
                        "switchboard.callbacks.dial: must contain {number}"),
                java.util.List.of(
                        "switchboard.callbacks.release = sometimes",
                        "switchboard.callbacks.release: must be when-agent-free, customer-first or agent-first"),
                java.util.List.of(
                        "switchboard.callbacks.amd = maybe", "switchboard.callbacks.amd: must be true or false"),
                java.util.List.of(
                        "switchboard.callbacks { release = agent-first, amd = true }",
                        "switchboard.callbacks.amd: works with release = customer-first or when-agent-free"),
                java.util.List.of(
                        "switchboard.callbacks.calling-window = \"21:00-08:00\"",
                        "switchboard.callbacks.calling-window: time range 21:00-08:00 ends before it starts"),
                java.util.List.of(
                        "switchboard.callbacks.business-hours { funday = \"08:00-17:00\" }",
                        "switchboard.callbacks.business-hours.funday: is not a weekday"),
                java.util.List.of(
                        "switchboard.callbacks.retry.busy = []",
                        "switchboard.callbacks.retry.busy: must list at least one positive duration"),
                java.util.List.of(
                        "switchboard.callbacks.max-attempts-per-second = 0",
                        "switchboard.callbacks.max-attempts-per-second: must be above 0"))) {
            Files.writeString(file, bad.get(0) + "\n");
            var e = assertThrows(SettingsException.class, () -> Settings.load(file, Map.of()));
            assertTrue(e.getMessage().startsWith(bad.get(1)), e.getMessage());
        }
    }

    @Test
    void secretsComeFromFilesAndAreNeverPrinted() throws Exception {
        Path secret = dir.resolve("ami.secret");
        Files.writeString(secret, "s3cr3t\n");
        var s = Settings.load(
                null, Map.of("SWITCHBOARD_AMI_HOST", "127.0.0.1", "SWITCHBOARD_AMI_SECRET_FILE", secret.toString()));
        assertEquals("s3cr3t", s.pbx().ami().secret());
        assertFalse(s.toString().contains("s3cr3t"), s.toString());
    }

    @Test
    void eachBadSettingIsOneLineNamingItsKey() throws Exception {
        assertBad(
                Map.of("SWITCHBOARD_HTTP_PORT", "eighty"),
                "switchboard.http.port (env SWITCHBOARD_HTTP_PORT): must be a whole number");
        assertBad(
                Map.of("SWITCHBOARD_HTTP_PORT", "70000"),
                "switchboard.http.port (env SWITCHBOARD_HTTP_PORT): must be between 0 and 65535");
        assertBad(
                Map.of("SWITCHBOARD_DB_URL", "mysql://db"),
                "switchboard.db.url (env SWITCHBOARD_DB_URL): must start with jdbc:postgresql: or jdbc:h2:");
        assertBad(
                Map.of("SWITCHBOARD_AMI_HOST", "127.0.0.1"),
                "switchboard.pbx.ami.secret (env SWITCHBOARD_AMI_SECRET): is required");
        assertBad(
                Map.of("SWITCHBOARD_AMI_SECRET_FILE", "/nonexistent/secret", "SWITCHBOARD_AMI_HOST", "pbx"),
                "switchboard.pbx.ami.secret-file");
        assertBad(Map.of("SWITCHBOARD_REGION", "Narnia"), "switchboard.pbx.region (env SWITCHBOARD_REGION)");
        assertBad(Map.of("SWITCHBOARD_TENANT", "Acme Plumbing"), "switchboard.pbx.tenant (env SWITCHBOARD_TENANT)");

        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "switchboard.sources.dids { \"+18005550100\" = BILLBOARD }\n");
        var e = assertThrows(SettingsException.class, () -> Settings.load(file, Map.of()));
        assertTrue(
                e.getMessage().startsWith("switchboard.sources.dids.\"+18005550100\": unknown lead source 'BILLBOARD'")
                        || e.getMessage().contains("unknown lead source 'BILLBOARD'"),
                e.getMessage());
        Files.writeString(file, "switchboard.calls.short-abandon-threshold = soon\n");
        assertTrue(assertThrows(SettingsException.class, () -> Settings.load(file, Map.of()))
                .getMessage()
                .startsWith("switchboard.calls.short-abandon-threshold: must be a duration"));
        Files.writeString(file, "switchboard { http { port = 80 \n");
        assertTrue(assertThrows(SettingsException.class, () -> Settings.load(file, Map.of()))
                .getMessage()
                .contains("not valid HOCON"));
        assertTrue(assertThrows(SettingsException.class, () -> Settings.load(dir.resolve("missing.conf"), Map.of()))
                .getMessage()
                .startsWith("--config: cannot read file"));
    }

    private static void assertBad(Map<String, String> env, String expectedStart) {
        var e = assertThrows(SettingsException.class, () -> Settings.load(null, env));
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
