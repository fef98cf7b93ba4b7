package switchboard.pbx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static switchboard.TestNodes.TOKEN;
import static switchboard.TestNodes.await;
import static switchboard.TestNodes.get;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.event.DialEndEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import switchboard.Node;
import switchboard.Settings;
import switchboard.TestNodes;

/**
 * The qualifying interview on the real Asterisk 22 lab: a missed caller is called back (customer first, the
 * interview on), the SIPp customer answers and presses keys (RFC 4733), and the node's FastAGI script asks,
 * decides and books. What the caller pressed is whatever a person would press after hearing the prompts; the
 * prompts are interruptible, so the keys come a little after each question starts.
 */
@Tag("asterisk")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealAsteriskInterviewTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(120);
    private final List<Process> phones = new ArrayList<>();
    private Node node;
    private ManagerConnection ami;
    private final ConcurrentLinkedQueue<Object[]> seen = new ConcurrentLinkedQueue<>();

    @BeforeAll
    void start() throws Exception {
        Lab.start();
        Path conf = Files.createTempFile("interview", ".conf");
        // Retries far out: a caller who hangs up stays open, and must not be rung again during the next test.
        Files.writeString(conf, """
        switchboard.callbacks {
          enabled = true
          grace-period = 1s
          queue = service
          dial = "PJSIP/{number}@customer"
          ring-timeout = 8s
          max-concurrent = 1
          release = customer-first
          overshoot = 50
          inbound-reserve-wait = 10m
          calling-window = "00:00-24:00"
          retry { busy = [10m], no-answer = [10m], failed = [10m], machine = [10m], backoff-factor = 1, jitter = 0, max-attempts = 3 }
          poll = 200ms
          qualify = true
        }
        switchboard.qualify {
          enabled = true
          digit-timeout = 6s
          service-area.everywhere = ["275", "276"]
        }
        switchboard.booking.emergency { in-hours = "number:PJSIP/101", after-hours = "number:PJSIP/101" }
        switchboard.overflow { enabled = true, ring-grace = 3s, poll = 100ms }
        """);
        var env = TestNodes.amiNodeEnv("RealAsteriskInterviewTest", 5038, Lab.amiSecret());
        env.put("SWITCHBOARD_CDR_FILE", Lab.cdrFile().toString());
        env.put("SWITCHBOARD_AMI_USER", Lab.AMI_USER);
        node = Node.start(Settings.load(conf, env));
        await(Duration.ofSeconds(60), () -> get(node.httpPort(), "/readyz", null), r -> r.status() == 200);
        // The test's own AMI session: when the on-call phone answered, as Asterisk reported it (wall clock, to set
        // against the time SIPp sent the key).
        ami = new ManagerConnectionFactory("127.0.0.1", 5038, Lab.AMI_USER, Lab.amiSecret()).createManagerConnection();
        ami.addEventListener(e -> {
            if (e instanceof DialEndEvent d)
                seen.add(new Object[] {System.currentTimeMillis(), "dialend", d.getDialStatus(), d.getDestChannel()});
        });
        ami.login();
    }

    @AfterEach
    void phonesDown() throws Exception {
        for (var p : phones) Lab.stop(p);
        phones.clear();
    }

    @AfterAll
    void stop() throws Exception {
        if (ami != null) ami.logoff();
        if (node != null) node.close();
        Lab.stop();
    }

    private Process sipp(java.util.Map<String, String> env, String... args) throws Exception {
        var cmd = new ArrayList<>(List.of("bash", Lab.DIR.resolve("sipp.sh").toString()));
        cmd.addAll(List.of(args));
        var pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        var p = pb.start();
        phones.add(p);
        return p;
    }

    /** The customer's phone (callback target, 5070): answers, then presses {@code keys} (sipp.sh customer-keys). */
    private void customerPresses(String keys) throws Exception {
        sipp(java.util.Map.of(), "customer-keys", "5070", "120", keys);
        Thread.sleep(300); // SIPp binds its port at start; the callback comes seconds later anyway
    }

    /** A caller who hangs up in the IVR after 3 s: a miss, and a lead to call back. */
    private void missedCall(String number) throws Exception {
        var p = LabAccess.sippCaller(5061, "caller", "+18005550105", number, "3000", "1", "1");
        phones.add(p);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "SIPp caller finished");
    }

    private JsonNode lead(String number, Predicate<JsonNode> done) throws Exception {
        return TestNodes.awaitLead(node.httpPort(), number, WAIT, done);
    }

    /** The lead once its callback attempt is over (nothing in flight): the next test's callback is not held up. */
    private JsonNode settled(String number) throws Exception {
        return lead(
                number,
                l -> l.at("/lead/recovery/callbacks/attempts").asInt(0) >= 1
                        && l.at("/lead/recovery/callbacks/inFlight").isNull()
                        && !l.at("/lead/recovery/callbacks/lastOutcome").isNull());
    }

    private static String q(JsonNode lead, String field) {
        return lead.path("qualification").path(field).asText(null);
    }

    @Test
    void aCustomerWhoAnswersTheCallbackIsQualifiedAndBooksTheFirstWindow() throws Exception {
        String number = "+19195550801";
        // Window 1 is chosen once both windows have been read out (weekday and hours said by Asterisk).
        customerPresses("w2500 1 w2000 27601 w2000 1 w2000 2 w2000 1 w9000 1");
        var before = JSON.readTree(
                get(node.httpPort(), "/api/board?board=service", TOKEN).body());
        missedCall(number);
        var booked = lead(number, l -> l.path("booking").has("window"));
        assertEquals("repair", q(booked, "service"), booked.toString());
        assertEquals("27601", q(booked, "zip"), booked.toString());
        assertEquals("true", q(booked, "inServiceArea"), booked.toString());
        assertEquals("SOON", q(booked, "urgency"), booked.toString());
        assertEquals("NEW", q(booked, "customer"), booked.toString());
        assertEquals("IVR", q(booked, "channel"), booked.toString());
        assertEquals("BOOK_SERVICE", booked.path("route").path("flow").asText(), booked.toString());
        var b = booked.path("booking");
        assertEquals("ivr", b.path("by").asText(), b.toString());
        // The board counts it: the window's bookings went up by one, and it names the lead.
        var after = JSON.readTree(
                get(node.httpPort(), "/api/board?board=service", TOKEN).body());
        int was = bookedIn(before, b), now = bookedIn(after, b);
        assertEquals(was + 1, now, "window " + b + " before " + before + " after " + after);
        assertTrue(
                after.toString().contains(booked.at("/lead/id").asText("?"))
                        || after.toString().contains(number),
                after.toString());
        var done =
                lead(number, l -> "booked".equalsIgnoreCase(l.at("/lead/status").asText()));
        assertEquals("booked", done.at("/lead/status").asText().toLowerCase(), done.toString());
    }

    private static int bookedIn(JsonNode board, JsonNode booking) {
        for (var row : board.path("windows"))
            if (row.path("date").asText().equals(booking.path("date").asText())
                    && row.path("window").asText().equals(booking.path("window").asText()))
                return row.path("booked").asInt();
        for (var row : board)
            if (row.path("date").asText().equals(booking.path("date").asText())
                    && row.path("window").asText().equals(booking.path("window").asText()))
                return row.path("booked").asInt();
        return 0;
    }

    @Test
    void aZipOutsideTheAreaIsDeclinedKindlyAndTheLeadClosedWithTheReason() throws Exception {
        String number = "+19195550802";
        customerPresses("w2500 1 w2000 90210 w2000 1 w2000 2 w2000 1");
        missedCall(number);
        var declined = lead(
                number,
                l -> "not_serviceable".equalsIgnoreCase(l.at("/lead/status").asText()));
        assertEquals("90210", q(declined, "zip"), declined.toString());
        assertEquals("false", q(declined, "inServiceArea"), declined.toString());
        assertTrue(declined.toString().contains("outside the service area"), declined.toString());
        assertFalse(declined.path("booking").has("window"), declined.toString());
        assertEquals("NOT_SERVICEABLE", declined.path("route").path("flow").asText(), declined.toString());
        settled(number);
    }

    @Test
    void anEmergencyIsConnectedToTheOnCallPhoneWithinTwoSecondsOfTheKey() throws Exception {
        String number = "+19195550803";
        sipp(java.util.Map.of(), "customer", "5073", "120"); // extension 101, the on-call phone: answers in ~0.5 s
        Path keyLog = Files.createTempDirectory("interview-keys");
        sipp(
                java.util.Map.of("SIPP_LOG_DIR", keyLog.toString()),
                "customer-keys",
                "5070",
                "120",
                "w2500 1 w2000 27601 w2000 1 w2000 1");
        Thread.sleep(300);
        seen.clear();
        missedCall(number);
        var lead = lead(number, l -> "EMERGENCY".equals(q(l, "urgency")));
        assertEquals("EMERGENCY", lead.path("route").path("flow").asText(), lead.toString());
        var answered = await(
                WAIT,
                () -> seen.stream()
                        .filter(e ->
                                "ANSWER".equals(e[2]) && String.valueOf(e[3]).contains("PJSIP/101"))
                        .findFirst(),
                java.util.Optional::isPresent);
        long answeredAt = (long) answered.get()[0];
        // When the customer's phone sent its last key (the emergency "1"), as SIPp wrote it down.
        var keys = Files.readAllLines(keyLog.resolve("keys-5070/keys.log"));
        assertEquals(8, keys.size(), "keys sent: " + keys);
        long keyAt = Long.parseLong(keys.get(keys.size() - 1).trim());
        long ms = answeredAt - keyAt;
        System.out.println("emergency: on-call phone answered " + ms + " ms after the key");
        assertTrue(ms > 0 && ms <= 2000, "connected " + ms + " ms after the emergency key");
        settled(number);
    }

    @Test
    void invalidKeysTwiceHandTheCallerToACsrWhosePhoneShowsWhatIsKnown() throws Exception {
        String number = "+19195550804";
        Path logs = Files.createTempDirectory("interview-csr");
        sipp(java.util.Map.of("SIPP_TRACE_MSG", "1", "SIPP_LOG_DIR", logs.toString()), "agent-answer", "5071", "120");
        customerPresses("w2500 1 w2000 9 w8000 9");
        missedCall(number);
        var names = await(
                WAIT,
                () -> {
                    var all = new ArrayList<String>();
                    try (var files = Files.list(logs)) {
                        for (var f : files.filter(
                                        p -> p.getFileName().toString().endsWith("-messages.log"))
                                .toList()) {
                            var m = java.util.regex.Pattern.compile("(?m)^From: \"([^\"]*)\"")
                                    .matcher(Files.readString(f));
                            while (m.find()) all.add(m.group(1));
                        }
                    }
                    return all;
                },
                all -> all.stream().anyMatch(n -> n.startsWith("IVR")));
        assertTrue(names.contains("IVR repair"), "the CSR's phone showed: " + names);
        var lead = lead(number, l -> "repair".equals(q(l, "service")));
        assertEquals(null, q(lead, "zip"), lead.toString());
        LabAccess.cli("channel request hangup all"); // the CSR and the customer would talk for a minute
        settled(number);
    }

    @Test
    void aCallerWhoHangsUpAfterTheServiceKeepsTheAnswerAndStaysOpen() throws Exception {
        String number = "+19195550805";
        customerPresses("w2500 4 w1500 h");
        missedCall(number);
        lead(number, l -> "plumbing".equals(q(l, "service")));
        // The callback attempt settles (the customer answered, reached nobody): the recovery stays open.
        var later = settled(number);
        assertEquals("open", later.at("/lead/status").asText().toLowerCase(), later.toString());
        assertEquals("plumbing", q(later, "service"), later.toString());
        assertEquals(null, q(later, "zip"), later.toString());
        assertEquals(
                "answered_not_connected",
                later.at("/lead/recovery/callbacks/lastOutcome").asText(),
                later.toString());
    }

    /**
     * The overflow destination "qualify": a first-time caller who waits too long in the queue is moved into the
     * interview, which makes their lead, books them — and the call that ends after the goodbye is no miss to call
     * back.
     */
    @Test
    void aCallerWaitingTooLongIsInterviewedAndBookedAndNotCalledBack() throws Exception {
        String number = "+19195550806";
        sipp(java.util.Map.of(), "agent-ring-forever", "5071", "120");
        sipp(java.util.Map.of(), "agent-ring-forever", "5072", "120");
        var put = TestNodes.send(
                node.httpPort(),
                "PUT",
                "/api/overflow/policies/service",
                TOKEN,
                "{\"maxWait\": \"5s\", \"to\": \"qualify\"}");
        assertEquals(200, put.status(), put.body());
        try {
            // Answered after 2 s of ringing, 5 s in the queue, then the interview: the first key comes once its
            // greeting plays.
            var caller = LabAccess.sippCaller(
                    5081, "caller-keys", "+18005550100", number, "w9000 1 w2000 27601 w2000 1 w2000 2 w2000 1 w9000 1");
            phones.add(caller);
            var booked = lead(number, l -> l.path("booking").has("window"));
            assertEquals("BOOK_SERVICE", booked.path("route").path("flow").asText(), booked.toString());
            assertEquals("27601", q(booked, "zip"), booked.toString());
            assertEquals("LSA", booked.at("/lead/firstSource").asText(), booked.toString());
            // The call ends after the goodbye: recorded, moved once, and no recovery opened for it.
            var ended = lead(
                    number,
                    l -> l.path("calls").size() == 1
                            && !l.at("/calls/0/endedAt").isNull());
            assertEquals(1, ended.at("/calls/0/hops").asInt(), ended.toString());
            assertEquals(
                    booked.path("route").path("callId").asText(),
                    ended.at("/calls/0/id").asText(),
                    ended.toString());
            assertTrue(
                    ended.at("/lead/recovery").isNull()
                            || !"OPEN".equals(ended.at("/lead/recovery/status").asText()),
                    "booked by the interview, nothing to call back: " + ended);
            assertTrue(caller.waitFor(60, TimeUnit.SECONDS), "the caller was hung up on after the goodbye");
        } finally {
            TestNodes.send(node.httpPort(), "DELETE", "/api/overflow/policies/service", TOKEN, null);
        }
    }

    /** After hours with SB_QUALIFY_AFTER_HOURS = yes: the interview instead of voicemail; a caller out of the area is
     * told so, and their after-hours call is no miss to call back. */
    @Test
    void afterHoursCallersAreInterviewedInsteadOfVoicemail() throws Exception {
        String number = "+19195550807";
        LabAccess.cli("dialplan set global SB_QUALIFY_AFTER_HOURS yes");
        try {
            var caller = LabAccess.sippCaller(
                    5082, "caller-keys", "+18005550104", number, "w2500 5 w2000 90210 w2000 1 w2000 2 w2000 2");
            phones.add(caller);
            var declined = lead(
                    number,
                    l -> "NOT_SERVICEABLE".equals(l.path("route").path("flow").asText()));
            assertEquals("electrical", q(declined, "service"), declined.toString());
            assertEquals("EXISTING", q(declined, "customer"), declined.toString());
            var ended = lead(
                    number,
                    l -> l.path("calls").size() == 1
                            && !l.at("/calls/0/endedAt").isNull());
            assertEquals("AFTER_HOURS", ended.at("/calls/0/missedReason").asText(), ended.toString());
            assertTrue(
                    ended.at("/lead/recovery").isNull()
                            || !"OPEN".equals(ended.at("/lead/recovery/status").asText()),
                    "declined by the interview, nothing to call back: " + ended);
            assertTrue(caller.waitFor(60, TimeUnit.SECONDS), "the caller was hung up on after the apology");
        } finally {
            LabAccess.cli("dialplan set global SB_QUALIFY_AFTER_HOURS no");
        }
    }
}
