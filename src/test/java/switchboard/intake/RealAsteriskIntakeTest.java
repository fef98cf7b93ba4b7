package switchboard.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static switchboard.TestNodes.TOKEN;
import static switchboard.TestNodes.await;
import static switchboard.TestNodes.get;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import switchboard.Node;
import switchboard.Settings;
import switchboard.TestNodes;
import switchboard.callback.CallbackCdr;
import switchboard.pbx.LabAccess;

/**
 * A web lead is called back through the real Asterisk 22 lab: a booking the visitor left, posted signed to
 * {@code POST /api/intake}, is picked up by the callback governor like a missed call; the SIPp customer on 5070
 * receives the callback's INVITE, answers, and a CSR (SIPp on 5071) takes the call. What happened is read from SIPp's
 * own message trace and the PBX's CDR file, not only from our counters.
 */
@Tag("asterisk")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealAsteriskIntakeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String SECRET = "lab-intake-secret";
    private final List<Process> phones = new ArrayList<>();
    private Node node;
    private Path cdr;
    private Path sippLogs;

    @BeforeAll
    void start() throws Exception {
        LabAccess.start();
        cdr = LabAccess.cdrFile();
        Path dir = Files.createTempDirectory("intake-lab-test");
        sippLogs = Files.createDirectories(dir.resolve("sipp"));
        Path conf = dir.resolve("intake.conf");
        // As RealAsteriskCallbackTest, with a short grace period; the whole day is the calling window.
        Files.writeString(conf, """
        switchboard.intake { secret = "%s" }
        switchboard.callbacks {
          enabled = true
          grace-period = 3s
          queue = service
          dial = "PJSIP/{number}@customer"
          ring-timeout = 8s
          max-concurrent = 3
          max-attempts-per-second = 2
          release = customer-first
          overshoot = 50
          inbound-reserve-wait = 10m
          calling-window = "00:00-24:00"
          retry { busy = [2s], no-answer = [15s], failed = [2s], machine = [2s], backoff-factor = 1, jitter = 0, max-attempts = 3 }
          poll = 200ms
        }
        """.formatted(SECRET));
        var env = TestNodes.amiNodeEnv("RealAsteriskIntakeTest", 5038, LabAccess.amiSecret());
        env.put("SWITCHBOARD_CDR_FILE", cdr.toString());
        env.put("SWITCHBOARD_AMI_USER", LabAccess.AMI_USER);
        node = Node.start(Settings.load(conf, env));
        await(Duration.ofSeconds(60), () -> get(node.httpPort(), "/readyz", null), r -> r.status() == 200);
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

    /** A SIPp phone of the lab ({@code sipp.sh MODE PORT SECONDS}) tracing every SIP message into {@link #sippLogs}. */
    private void phone(String... args) throws Exception {
        var cmd = new ArrayList<>(List.of(
                "env",
                "SIPP_TRACE_MSG=1",
                "SIPP_LOG_DIR=" + sippLogs,
                "bash",
                LabAccess.dir().resolve("sipp.sh").toString()));
        cmd.addAll(List.of(args));
        phones.add(new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start());
    }

    private String customerMessages() throws Exception {
        var sb = new StringBuilder();
        try (var files = Files.list(sippLogs)) {
            for (var f : files.filter(p -> p.getFileName().toString().startsWith("customer-uas-5070")
                            && p.getFileName().toString().endsWith("messages.log"))
                    .toList()) sb.append(Files.readString(f));
        }
        return sb.toString();
    }

    private static String signature(String body, long t) throws Exception {
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "t=" + t + ",v1="
                + HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anAbandonedOnlineBookingIsCalledBackThroughThePbx() throws Exception {
        phone("agent-answer", "5071", "120");
        phone("customer", "5070", "120");
        String number = "+19195550501";
        String body = """
                {"id": "lab-form-1", "name": "Pat Doe", "phone": "(919) 555-0501", "zip": "27601",
                 "service": "repair", "message": "AC is out", "source": "WEBSITE", "complete": false}""";
        var post = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/api/intake"))
                                .header("Content-Type", "application/json")
                                .header(
                                        "X-Switchboard-Signature",
                                        signature(body, Instant.now().getEpochSecond()))
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(201, post.statusCode(), post.body());

        JsonNode recovered = await(
                WAIT,
                () -> {
                    var r = get(node.httpPort(), "/api/leads/" + number, TOKEN);
                    return r.status() == 200 ? JSON.readTree(r.body()) : JSON.createObjectNode();
                },
                l -> "recovered".equals(l.at("/lead/status").asText()));
        assertEquals("ABANDONED_BOOKING", recovered.at("/lead/recovery/reason").asText(), recovered.toString());
        assertEquals("WEBSITE", recovered.at("/lead/recovery/source").asText(), recovered.toString());
        assertEquals(1, recovered.at("/lead/recovery/callbacks/attempts").asInt(), recovered.toString());
        assertEquals(
                "connected",
                recovered.at("/lead/recovery/callbacks/lastOutcome").asText(),
                recovered.toString());

        // The customer's SIPp received the callback's INVITE for the form's number.
        String messages =
                await(WAIT, this::customerMessages, m -> m.contains("INVITE sip:") && m.contains("9195550501"));
        assertTrue(messages.contains("INVITE sip:"), messages);
        // On the PBX: the callback channel (attempt 1 of the lead's first recovery) answered and bridged to an agent.
        String channel = CallbackCdr.channelOf(number, 1);
        var rows = await(
                WAIT,
                () -> CallbackCdr.rows(cdr).stream()
                        .filter(r -> r.uniqueId().equals(channel))
                        .toList(),
                r -> r.stream()
                        .anyMatch(f -> "ANSWERED".equals(f.disposition())
                                && f.dstChannel().startsWith("PJSIP/20")));
        assertTrue(rows.stream().allMatch(f -> f.uniqueId().equals(channel)), "one callback channel");
    }
}
