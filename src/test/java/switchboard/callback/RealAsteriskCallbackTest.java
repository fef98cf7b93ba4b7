package switchboard.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static switchboard.TestNodes.TOKEN;
import static switchboard.TestNodes.await;
import static switchboard.TestNodes.get;

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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import switchboard.Node;
import switchboard.Settings;
import switchboard.TestNodes;
import switchboard.pbx.LabAccess;

/**
 * Callbacks through the real Asterisk 22 lab with SIPp phones: a missed caller is called back, answers, and a
 * CSR takes the call; a busy customer is tried on schedule until the cap; a DNC number is never dialled. What
 * the PBX did is read from the PBX's own CDR file, not only from our counters.
 */
@Tag("asterisk")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealAsteriskCallbackTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);
    private final List<Process> phones = new ArrayList<>();
    private Node node;
    private Path cdr;
    private Path dir;

    @BeforeAll
    void start() throws Exception {
        LabAccess.start();
        cdr = LabAccess.cdrFile();
        dir = Files.createTempDirectory("callback-test");
        Path dnc = dir.resolve("dnc.txt");
        Files.writeString(dnc, "# opted out\n+19195550399\n");
        Path conf = dir.resolve("callbacks.conf");
        // Short schedules for the test; the calling window is the whole day so the test does not depend on the hour
        // it runs (the window itself is tested with a fixed clock in CallingWindowTest).
        Files.writeString(conf, """
        switchboard.callbacks {
          enabled = true
          grace-period = 12s
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
          dnc-file = "%s"
          poll = 200ms
        }
        """.formatted(dnc));
        var env = TestNodes.amiNodeEnv("RealAsteriskCallbackTest", 5038, LabAccess.amiSecret());
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

    private Process phone(String... args) throws Exception {
        var p = LabAccess.sipp(args);
        phones.add(p);
        return p;
    }

    /** A caller who hangs up in the IVR after a few seconds: a miss, and a lead to call back. */
    private void missedCall(int port, String callerNumber) throws Exception {
        callers(port, "+18005550105", callerNumber, 3000, 1, 1);
    }

    /** COUNT SIPp callers to DID (numbers counting up from callerNumber), RATE per second; waits until all hung up. */
    private void callers(int port, String did, String callerNumber, int holdMs, int count, int rate) throws Exception {
        var p = new ProcessBuilder(
                        "env",
                        "SIPP_CALLER_PORT=" + port,
                        "bash",
                        LabAccess.dir().resolve("sipp.sh").toString(),
                        "caller",
                        did,
                        callerNumber,
                        Integer.toString(holdMs),
                        Integer.toString(count),
                        Integer.toString(rate))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        phones.add(p);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "SIPp callers finished");
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

    /** The PBX's CDR rows of the callback channels of attempts 1..5 of this number's lead — whatever our counters say. */
    private List<switchboard.pbx.CdrBackfill.Row> callbackRowsTo(String number) throws Exception {
        var ids = new java.util.HashSet<String>();
        for (int n = 1; n <= 5; n++) ids.add(CallbackCdr.channelOf(number, n));
        return CallbackCdr.rows(cdr).stream()
                .filter(r -> ids.contains(r.uniqueId()))
                .toList();
    }

    @Test
    @Order(1)
    void aMissedCallerIsCalledBackAndConnectedToACsr() throws Exception {
        phone("agent-answer", "5071", "120");
        phone("agent-answer", "5072", "120");
        phone("customer", "5070", "120");
        missedCall(5091, "+19195550301");
        var recovered = lead(
                "+19195550301", l -> "recovered".equals(l.at("/lead/status").asText()));
        assertEquals(1, recovered.at("/lead/recovery/callbacks/attempts").asInt(), recovered.toString());
        assertEquals(
                "connected",
                recovered.at("/lead/recovery/callbacks/lastOutcome").asText(),
                recovered.toString());
        // On the PBX: the callback channel was answered by the customer and bridged to an agent.
        var rows = await(
                WAIT,
                () -> callbackRowsTo("+19195550301"),
                r -> r.stream()
                        .anyMatch(f -> "ANSWERED".equals(f.disposition())
                                && f.dstChannel().startsWith("PJSIP/20")));
        assertTrue(
                rows.stream().allMatch(f -> f.uniqueId().equals(rows.get(0).uniqueId())),
                "one callback channel, not two");
    }

    @Test
    @Order(2)
    void aBusyCustomerIsTriedOnScheduleUntilTheCapThenUnreachable() throws Exception {
        phone("agent-answer", "5071", "120");
        phone("busy", "5070", "120");
        missedCall(5092, "+19195550302");
        var unreachable = lead(
                "+19195550302", l -> "unreachable".equals(l.at("/lead/status").asText()));
        assertEquals(3, unreachable.at("/lead/recovery/callbacks/attempts").asInt(), unreachable.toString());
        var rows = await(
                WAIT,
                () -> callbackRowsTo("+19195550302"),
                r -> r.stream().map(f -> f.uniqueId()).distinct().count() == 3);
        assertTrue(
                rows.stream().allMatch(f -> "BUSY".equals(f.disposition())),
                "the PBX saw three busy attempts and nothing else");
        assertEquals(
                "busy", unreachable.at("/lead/recovery/callbacks/lastOutcome").asText());
        assertTrue(
                unreachable.at("/lead/recovery/closedReason").asText().contains("3 attempts"), unreachable.toString());
    }

    @Test
    @Order(3)
    void aNumberOnTheDncListIsNeverDialled() throws Exception {
        phone("customer", "5070", "60");
        missedCall(5093, "+19195550399");
        var closed = lead(
                "+19195550399", l -> "do_not_call".equals(l.at("/lead/status").asText()));
        assertEquals(0, closed.at("/lead/recovery/callbacks/attempts").asInt(), closed.toString());
        assertTrue(callbackRowsTo("+19195550399").isEmpty(), "no callback channel for it on the PBX");
    }

    @Test
    @Order(6)
    void thirtyMissesAtOnceNeverHaveMoreThanThreeCallbacksOnThePbxAndAllAreAttempted() throws Exception {
        phone("agent-answer", "5071", "180");
        phone("agent-answer", "5072", "180");
        phone("customer", "5070", "180");
        // customer-first with room to spare (overshoot 50): the channel limit, 3, is what must hold
        var numbers = new ArrayList<String>();
        for (int i = 0; i < 30; i++) numbers.add(String.format("+1919555%04d", 400 + i));
        callers(5094, "+18005550105", numbers.get(0), 1000, 30, 15);
        // every one of the 30 is attempted: its first callback channel is in the PBX's CDR
        var firstChannels = new java.util.HashSet<String>();
        for (var n : numbers) firstChannels.add(CallbackCdr.channelOf(n, 1));
        var rows = await(
                Duration.ofSeconds(240),
                () -> CallbackCdr.rows(cdr),
                r -> r.stream()
                                .map(f -> f.uniqueId())
                                .filter(firstChannels::contains)
                                .distinct()
                                .count()
                        == 30);
        // the PBX's own record of how many callback channels were up at once
        var spans = new java.util.HashMap<String, double[]>();
        for (var f : rows) {
            double start = f.start().toEpochMilli() / 1000.0, end = f.end().toEpochMilli() / 1000.0;
            spans.merge(f.uniqueId(), new double[] {start, end}, (a, b) ->
                    new double[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
        }
        var edges = new ArrayList<double[]>();
        for (var sp : spans.values()) {
            edges.add(new double[] {sp[0], 1});
            edges.add(new double[] {sp[1], -1});
        }
        edges.sort((a, b) -> a[0] != b[0]
                ? Double.compare(a[0], b[0])
                : Double.compare(a[1], b[1])); // an end before a start at the same instant
        int up = 0, max = 0;
        for (var e : edges) max = Math.max(max, up += (int) e[1]);
        assertTrue(max <= 3, "at most 3 callback channels at once on the PBX, saw " + max);
        assertTrue(max >= 2, "the limit was actually reached (the test would pass vacuously otherwise): " + max);
    }

    @Test
    @Order(4) // before the 30-miss run, whose retries keep the agents busy for a while
    void aCustomerWhoCallsBackInDuringTheGracePeriodIsNotCalled() throws Exception {
        phone("agent-answer", "5071", "60");
        phone("agent-answer", "5072", "60");
        phone("customer", "5070", "60");
        missedCall(5095, "+19195550305");
        lead("+19195550305", l -> "open".equals(l.at("/lead/status").asText()));
        callers(5096, "+18005550100", "+19195550305", 10_000, 1, 1); // into the queue: an agent answers, they talk 10 s
        var through = lead(
                "+19195550305", l -> "got_through".equals(l.at("/lead/status").asText()));
        assertEquals(0, through.at("/lead/recovery/callbacks/attempts").asInt(), through.toString());
        assertTrue(callbackRowsTo("+19195550305").isEmpty(), "no callback channel for a customer who got through");
    }

    @Test
    @Order(5)
    void aCustomerWhoCallsBackInBetweenRetriesIsNotCalledAgain() throws Exception {
        phone("agent-answer", "5071", "90");
        phone("agent-answer", "5072", "90");
        var ringing = phone("agent-ring-forever", "5070", "60"); // the customer's phone rings out: no answer
        String number = "+19195550306";
        missedCall(5089, number);
        var noAnswer = lead(
                number,
                l -> "no_answer"
                        .equals(l.at("/lead/recovery/callbacks/lastOutcome").asText()));
        assertEquals(1, noAnswer.at("/lead/recovery/callbacks/attempts").asInt(), noAnswer.toString());
        Instant retryAt = Instant.parse(
                noAnswer.at("/lead/recovery/callbacks/nextAttemptAt").asText());
        assertTrue(
                retryAt.isAfter(Instant.now().plusSeconds(3)),
                "the retry is still ahead (15 s after the no-answer): " + retryAt);
        LabAccess.stop(ringing);

        callers(5090, "+18005550100", number, 3000, 1, 1); // they call in before the retry; an agent answers
        var through =
                lead(number, l -> "got_through".equals(l.at("/lead/status").asText()));
        assertEquals(1, through.at("/lead/recovery/callbacks/attempts").asInt(), through.toString());
        // Past the retry's time: still the one callback channel on the PBX, and no second attempt on the lead.
        while (Instant.now().isBefore(retryAt.plusSeconds(3))) {
            assertTrue(
                    callbackRowsTo(number).stream()
                                    .map(f -> f.uniqueId())
                                    .distinct()
                                    .count()
                            <= 1,
                    "no second callback after they got through");
            Thread.sleep(250); // probing for something that must not happen, until its time has passed
        }
        assertEquals(
                1,
                callbackRowsTo(number).stream()
                        .map(f -> f.uniqueId())
                        .distinct()
                        .count(),
                "the first (unanswered) attempt is in the PBX's CDR");
        assertEquals(
                1,
                lead(number, l -> true).at("/lead/recovery/callbacks/attempts").asInt());
    }
}
