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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import switchboard.Node;
import switchboard.Settings;
import switchboard.TestNodes;
import switchboard.pbx.LabAccess;

/**
 * The calling window through the real Asterisk 22 lab, on a governor clock the test moves: at 22:30 in the
 * callee's zone (North Carolina, from the number) a missed caller is not dialled but deferred to 08:00 there,
 * visibly on the lead; a lead whose zone a person sets to Pacific time (19:30 there) is called at once; when the
 * clock reaches 08:00 Eastern, the deferred caller is called back and reaches a CSR. What was dialled is read
 * from the PBX's own CDR.
 */
@Tag("asterisk")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealAsteriskCallingWindowTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ZoneId EASTERN = ZoneId.of("America/New_York");
    private final List<Process> phones = new ArrayList<>();
    private final MovableClock clock = new MovableClock();
    private Node node;
    private Path cdr;

    /** The system clock plus an offset the test sets; only ever moved forward. */
    static final class MovableClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        void jumpTo(Instant at) {
            offset = Duration.between(Instant.now(), at);
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the governor reads instants only");
        }
    }

    @BeforeAll
    void start() throws Exception {
        LabAccess.start();
        cdr = LabAccess.cdrFile();
        Path dir = Files.createTempDirectory("calling-window-test");
        Path conf = dir.resolve("callbacks.conf");
        Files.writeString(conf, """
        switchboard.callbacks {
          enabled = true
          grace-period = 5s
          queue = service
          dial = "PJSIP/{number}@customer"
          ring-timeout = 8s
          max-concurrent = 3
          max-attempts-per-second = 2
          release = customer-first
          overshoot = 5
          inbound-reserve-wait = 10m
          calling-window = "08:00-21:00"
          retry { max-attempts = 1 }
          poll = 200ms
        }
        """);
        var env = TestNodes.amiNodeEnv("RealAsteriskCallingWindowTest", 5038, LabAccess.amiSecret());
        env.put("SWITCHBOARD_CDR_FILE", cdr.toString());
        env.put("SWITCHBOARD_AMI_USER", LabAccess.AMI_USER);
        // 22:30 in North Carolina, later than now: every miss of this test is due at once and outside the window.
        var late = Instant.now().atZone(EASTERN).with(LocalTime.of(22, 30));
        if (!late.toInstant().isAfter(Instant.now().plusSeconds(60))) late = late.plusDays(1);
        clock.jumpTo(late.toInstant());
        node = Node.start(Settings.load(conf, env), com.typesafe.config.ConfigFactory.empty(), clock);
        await(Duration.ofSeconds(60), () -> get(node.httpPort(), "/readyz", null), r -> r.status() == 200);
    }

    @AfterAll
    void stop() throws Exception {
        for (var p : phones) LabAccess.stop(p);
        if (node != null) node.close();
        LabAccess.stop();
    }

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
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "SIPp caller finished");
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

    private List<switchboard.pbx.CdrBackfill.Row> callbackRowsTo(String number) throws Exception {
        String first = CallbackCdr.channelOf(number, 1);
        return CallbackCdr.rows(cdr).stream()
                .filter(r -> r.uniqueId().equals(first))
                .toList();
    }

    @Test
    void aCallerOutsideTheirCallingWindowIsDeferredToItsStartAndCalledThen() throws Exception {
        phones.add(LabAccess.sipp("agent-answer", "5071", "150"));
        phones.add(LabAccess.sipp("agent-answer", "5072", "150"));
        phones.add(LabAccess.sipp("customer", "5070", "150"));
        String deferredCaller = "+19195550501", movedCaller = "+19195550502";
        missedCall(5097, deferredCaller);
        missedCall(5098, movedCaller);

        // 08:00 in North Carolina, the morning after the governor's 22:30
        Instant morning = clock.instant()
                .atZone(EASTERN)
                .plusDays(1)
                .with(LocalTime.of(8, 0))
                .toInstant();
        for (String n : List.of(deferredCaller, movedCaller)) {
            var deferred = lead(
                    n,
                    l -> !l.at("/lead/recovery/callbacks/deferredUntil").isMissingNode()
                            && !l.at("/lead/recovery/callbacks/deferredUntil").isNull());
            assertEquals(
                    morning,
                    Instant.parse(deferred.at("/lead/recovery/callbacks/deferredUntil")
                            .asText()),
                    deferred.toString());
            assertEquals(
                    "CALLEE_LOCAL_TIME",
                    deferred.at("/lead/recovery/callbacks/deferredReason").asText(),
                    deferred.toString());
            assertEquals("open", deferred.at("/lead/status").asText());
            assertEquals(0, deferred.at("/lead/recovery/callbacks/attempts").asInt());
        }

        // A person knows the second caller lives in California (19:30 there): set the lead's zone, and it is called
        // now.
        var put = TestNodes.send(
                node.httpPort(),
                "PUT",
                "/api/leads/" + movedCaller + "/time-zone",
                TOKEN,
                "{\"timeZone\": \"America/Los_Angeles\"}");
        assertEquals(200, put.status(), put.body());
        var recovered =
                lead(movedCaller, l -> "recovered".equals(l.at("/lead/status").asText()));
        assertEquals("America/Los_Angeles", recovered.at("/lead/timeZone").asText());
        var movedRows = await(
                WAIT,
                () -> callbackRowsTo(movedCaller),
                r -> r.stream()
                        .anyMatch(f -> "ANSWERED".equals(f.disposition())
                                && f.dstChannel().startsWith("PJSIP/20")));
        assertTrue(
                movedRows.stream().anyMatch(f -> "ANSWERED".equals(f.disposition())),
                "on the PBX: the callback was answered and bridged to a CSR " + movedRows);

        // The first caller is still waiting for the morning: nothing was dialled to them, on the PBX or by us.
        assertTrue(callbackRowsTo(deferredCaller).isEmpty(), "no callback channel before 08:00 in their zone");
        assertEquals(
                0,
                lead(deferredCaller, l -> true)
                        .at("/lead/recovery/callbacks/attempts")
                        .asInt());

        Instant movedAt = Instant.now();
        clock.jumpTo(morning.plusSeconds(2));
        var morningCall = lead(
                deferredCaller, l -> "recovered".equals(l.at("/lead/status").asText()));
        assertEquals(1, morningCall.at("/lead/recovery/callbacks/attempts").asInt(), morningCall.toString());
        var rows = await(
                WAIT,
                () -> callbackRowsTo(deferredCaller),
                r -> r.stream().anyMatch(f -> "ANSWERED".equals(f.disposition())));
        assertTrue(
                rows.stream().allMatch(f -> !f.start().isBefore(movedAt.minusSeconds(1))),
                "the PBX dialled them only once the clock said 08:00: " + rows);
    }
}
