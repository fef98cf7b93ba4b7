package switchboard.callback;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import switchboard.Node;
import switchboard.Settings;
import switchboard.TestNodes;
import switchboard.pbx.CdrBackfill;
import switchboard.pbx.LabAccess;

/**
 * The other ways of connecting a callback, through the real Asterisk 22 lab with SIPp phones: answering-machine
 * detection (AMD() hears a SIPp customer streaming a long greeting, or a short "hello?") and agent-first
 * callbacks (a CSR is rung first; the customer is dialled once the CSR answered). What the PBX did is read from
 * its own CDR file.
 */
@Tag("asterisk")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealAsteriskCallbackModesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);
    private final List<Process> phones = new ArrayList<>();
    private Node node;
    private Path cdr;
    private Path dir;

    @BeforeAll
    void lab() throws Exception {
        LabAccess.start();
        cdr = LabAccess.cdrFile();
        dir = Files.createTempDirectory("callback-modes-test");
    }

    private void startNode(String release, boolean amd) throws Exception {
        Path conf = dir.resolve(release + "-" + amd + ".conf");
        Files.writeString(conf, """
        switchboard.callbacks {
          enabled = true
          grace-period = 2s
          queue = service
          queue-timeout = 8s
          dial = "PJSIP/{number}@customer"
          ring-timeout = 8s
          max-concurrent = 3
          max-attempts-per-second = 2
          release = %s
          overshoot = 2
          inbound-reserve-wait = 10m
          calling-window = "00:00-24:00"
          amd = %s
          retry { busy = [3s], no-answer = [3s], failed = [3s], machine = [1h], backoff-factor = 1, jitter = 0, max-attempts = 2 }
          poll = 200ms
        }
        """.formatted(release, amd));
        var env = TestNodes.amiNodeEnv("RealAsteriskCallbackModesTest", 5038, LabAccess.amiSecret());
        env.put("SWITCHBOARD_CDR_FILE", cdr.toString());
        env.put("SWITCHBOARD_AMI_USER", LabAccess.AMI_USER);
        node = Node.start(Settings.load(conf, env));
        await(Duration.ofSeconds(60), () -> get(node.httpPort(), "/readyz", null), r -> r.status() == 200);
        // The callback queue's members are known (QueueStatus after login) before a miss is placed.
        await(
                Duration.ofSeconds(30),
                () -> get(node.httpPort(), "/metrics", null),
                r -> r.status() == 200 && r.body().contains("switchboard_callback_open_recoveries"));
    }

    @AfterEach
    void down() throws Exception {
        for (var p : phones) LabAccess.stop(p);
        phones.clear();
        if (node != null) node.close();
        node = null;
    }

    @AfterAll
    void stop() throws Exception {
        LabAccess.stop();
    }

    private Process phone(String... args) throws Exception {
        var p = LabAccess.sipp(args);
        phones.add(p);
        return p;
    }

    /** Two CSR phones that answer and log every SIP message they get (to read what their display showed). */
    private Path tracedAgents() throws Exception {
        Path logs = Files.createTempDirectory(dir, "agents");
        for (String port : List.of("5071", "5072")) {
            var pb = new ProcessBuilder(
                            "bash", LabAccess.dir().resolve("sipp.sh").toString(), "agent-answer", port, "90")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("SIPP_TRACE_MSG", "1");
            pb.environment().put("SIPP_LOG_DIR", logs.toString());
            phones.add(pb.start());
        }
        return logs;
    }

    /** The caller names in the From headers of the INVITEs the traced CSR phones received. */
    private static List<String> callerNamesSeenByCsrs(Path logs) throws Exception {
        var names = new ArrayList<String>();
        try (var files = Files.list(logs)) {
            for (var f : files.filter(p -> p.getFileName().toString().endsWith("-messages.log"))
                    .toList()) {
                var m = java.util.regex.Pattern.compile("(?m)^From: \"([^\"]*)\"")
                        .matcher(Files.readString(f));
                while (m.find()) names.add(m.group(1));
            }
        }
        return names;
    }

    /** A caller who hangs up in the IVR after a few seconds: a miss, and a lead to call back. */
    private void missedCall(int port, String callerNumber) throws Exception {
        var p = new ProcessBuilder(
                        "env",
                        "SIPP_CALLER_PORT=" + port,
                        "bash",
                        LabAccess.dir().resolve("sipp.sh").toString(),
                        "caller",
                        "+18005550105",
                        callerNumber,
                        "3000",
                        "1",
                        "1")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        phones.add(p);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "SIPp caller finished");
    }

    private JsonNode lead(String number, java.util.function.Predicate<JsonNode> done) throws Exception {
        return await(
                WAIT,
                () -> {
                    var r = get(node.httpPort(), "/api/leads/" + number, TOKEN);
                    return r.status() == 200 ? JSON.readTree(r.body()) : JSON.createObjectNode();
                },
                done::test);
    }

    /** The PBX's CDR rows of attempt {@code n} of this number's lead: its channel and, agent first, its CSR half. */
    private List<CdrBackfill.Row> rowsOfAttempt(String number, int n) throws Exception {
        String id = CallbackCdr.channelOf(number, n);
        return CallbackCdr.rows(cdr).stream()
                .filter(r -> r.uniqueId().equals(id) || r.uniqueId().equals(id + "-csr"))
                .toList();
    }

    @Test
    void anAnsweringMachineIsHungUpOnAndRetriedOnTheMachineSchedule() throws Exception {
        startNode("customer-first", true);
        phone("agent-answer", "5071", "90");
        phone("agent-answer", "5072", "90");
        phone("customer-machine", "5070", "90");
        String number = "+19195550601";
        missedCall(5085, number);
        var machine = lead(
                number,
                l -> "machine"
                        .equals(l.at("/lead/recovery/callbacks/lastOutcome").asText()));
        assertEquals("open", machine.at("/lead/status").asText(), machine.toString());
        assertEquals(1, machine.at("/lead/recovery/callbacks/attempts").asInt(), machine.toString());
        Instant next = Instant.parse(
                machine.at("/lead/recovery/callbacks/nextAttemptAt").asText());
        assertTrue(
                next.isAfter(Instant.now().plus(Duration.ofMinutes(50))),
                "retried on the machine schedule (1 h), not at once: " + next);
        // On the PBX: the callback was answered (by the machine) and never reached a CSR.
        var rows = await(WAIT, () -> rowsOfAttempt(number, 1), r -> !r.isEmpty());
        assertTrue(rows.stream().anyMatch(r -> "ANSWERED".equals(r.disposition())), rows.toString());
        assertTrue(
                rows.stream().noneMatch(r -> r.dstChannel().startsWith("PJSIP/20")),
                "no CSR was rung for a machine: " + rows);
        // and /metrics tells it: one attempt, ended by a machine; nothing due or waiting now; its first attempt timed.
        var metrics = await(
                WAIT,
                () -> get(node.httpPort(), "/metrics", null).body(),
                m -> metric(m, "switchboard_callback_in_flight") == 0);
        assertEquals(1, metric(metrics, "switchboard_callback_attempts_total{outcome=\"MACHINE\"}"), metrics);
        assertEquals(1, metric(metrics, "switchboard_callback_placed_total"), metrics);
        assertTrue(
                metric(metrics, "switchboard_callback_due") == 0
                        && metric(metrics, "switchboard_callback_backlog") == 0,
                metrics);
        assertEquals(1, metric(metrics, "switchboard_callback_first_attempt_seconds_count"), metrics);
    }

    @Test
    void aPersonPassesAnsweringMachineDetectionAndReachesACsr() throws Exception {
        startNode("customer-first", true);
        Path agentLogs = tracedAgents();
        phone("customer-human", "5070", "90");
        String number = "+19195550602";
        missedCall(5086, number);
        var recovered =
                lead(number, l -> "recovered".equals(l.at("/lead/status").asText()));
        assertEquals(
                "connected",
                recovered.at("/lead/recovery/callbacks/lastOutcome").asText(),
                recovered.toString());
        var rows = await(
                WAIT,
                () -> rowsOfAttempt(number, 1),
                r -> r.stream()
                        .anyMatch(f -> "ANSWERED".equals(f.disposition())
                                && f.dstChannel().startsWith("PJSIP/20")));
        assertEquals(
                1, rows.stream().map(CdrBackfill.Row::uniqueId).distinct().count(), "one callback channel: " + rows);
        // The CSR's phone showed the caller-name prefix: "<source> CB <how long ago they called>".
        var names = await(WAIT, () -> callerNamesSeenByCsrs(agentLogs), n -> !n.isEmpty());
        assertTrue(names.stream().allMatch(n -> n.matches("([A-Z_]+ )?CB \\d+s")), names.toString());
    }

    @Test
    void agentFirstRingsACsrBeforeTheCustomerAndRecoversTheLead() throws Exception {
        startNode("agent-first", false);
        Path agentLogs = tracedAgents();
        phone("customer", "5070", "90");
        String number = "+19195550603";
        missedCall(5087, number);
        var recovered =
                lead(number, l -> "recovered".equals(l.at("/lead/status").asText()));
        assertEquals(
                "connected",
                recovered.at("/lead/recovery/callbacks/lastOutcome").asText(),
                recovered.toString());
        assertEquals(1, recovered.at("/lead/recovery/callbacks/attempts").asInt(), recovered.toString());
        // On the PBX: the CSR half was answered at a CSR's phone, and the customer half dialled and reached the
        // customer.
        String id = CallbackCdr.channelOf(number, 1);
        var rows = await(
                WAIT,
                () -> rowsOfAttempt(number, 1),
                r -> r.stream().anyMatch(f -> f.uniqueId().equals(id + "-csr") && "ANSWERED".equals(f.disposition()))
                        && r.stream()
                                .anyMatch(f -> f.uniqueId().equals(id)
                                        && "ANSWERED".equals(f.disposition())
                                        && f.dstChannel().startsWith("PJSIP/customer")));
        var csr = rows.stream()
                .filter(f -> f.uniqueId().equals(id + "-csr") && "ANSWERED".equals(f.disposition()))
                .findFirst()
                .orElseThrow();
        assertTrue(csr.dstChannel().startsWith("PJSIP/20"), "the CSR half rang a CSR of the callback queue: " + csr);
        // Before they picked up, the CSR's display said who they were calling back and since when.
        var names = await(WAIT, () -> callerNamesSeenByCsrs(agentLogs), n -> !n.isEmpty());
        assertTrue(names.stream().allMatch(n -> n.matches("([A-Z_]+ )?CB \\d+s")), names.toString());
    }

    @Test
    void agentFirstNeverDialsTheCustomerWhileNoCsrAnswers() throws Exception {
        startNode("agent-first", false);
        phone("agent-ring-forever", "5071", "90");
        phone("agent-ring-forever", "5072", "90");
        phone("customer", "5070", "90");
        String number = "+19195550605";
        missedCall(5084, number);
        var failed = lead(
                number,
                l -> "failed"
                        .equals(l.at("/lead/recovery/callbacks/lastOutcome").asText()));
        assertTrue(failed.at("/lead/recovery/callbacks/attempts").asInt() >= 1, failed.toString());
        // The PBX rang the CSRs for the queue timeout (8 s) and never placed a call to the customer.
        String id = CallbackCdr.channelOf(number, 1);
        var rows = await(
                WAIT,
                () -> rowsOfAttempt(number, 1),
                r -> r.stream()
                        .anyMatch(f -> f.uniqueId().equals(id + "-csr")
                                && f.dstChannel().startsWith("PJSIP/20")));
        assertTrue(
                rows.stream().noneMatch(f -> f.dstChannel().startsWith("PJSIP/customer")),
                "the customer's phone never rang: " + rows);
        assertTrue(rows.stream().noneMatch(f -> "ANSWERED".equals(f.disposition())), rows.toString());
    }

    @Test
    void agentFirstWithABusyCustomerIsRetriedThenUnreachable() throws Exception {
        startNode("agent-first", false);
        phone("agent-answer", "5071", "90");
        phone("agent-answer", "5072", "90");
        phone("busy", "5070", "90");
        String number = "+19195550604";
        missedCall(5088, number);
        var unreachable =
                lead(number, l -> "unreachable".equals(l.at("/lead/status").asText()));
        assertEquals(2, unreachable.at("/lead/recovery/callbacks/attempts").asInt(), unreachable.toString());
        assertEquals(
                "busy", unreachable.at("/lead/recovery/callbacks/lastOutcome").asText(), unreachable.toString());
        for (int n = 1; n <= 2; n++) {
            String id = CallbackCdr.channelOf(number, n);
            final int attempt = n;
            var rows = await(
                    WAIT,
                    () -> rowsOfAttempt(number, attempt),
                    r -> r.stream()
                            .anyMatch(f ->
                                    f.uniqueId().equals(id) && f.dstChannel().startsWith("PJSIP/customer")));
            assertTrue(
                    rows.stream()
                            .filter(f ->
                                    f.uniqueId().equals(id) && f.dstChannel().startsWith("PJSIP/customer"))
                            .allMatch(f -> "BUSY".equals(f.disposition())),
                    rows.toString());
        }
    }
}
