package switchboard.pbx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static switchboard.TestNodes.TOKEN;
import static switchboard.TestNodes.await;
import static switchboard.TestNodes.get;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import switchboard.Node;
import switchboard.Settings;
import switchboard.TestNodes;
import switchboard.tools.sim.AmiServer;

/**
 * Replays AMI transcripts recorded from the real Asterisk 22 lab (src/main/resources/ami-transcripts) over the
 * wire into the unchanged adapter, and checks each call's outcome against {@code expected.tsv}. Fast regression
 * tests for the translator on real event sequences; the live lab tests prove the same paths end to end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TranscriptReplayTest {
    static final Path DIR = Path.of("src/main/resources/ami-transcripts");
    private static final ObjectMapper JSON = new ObjectMapper();
    private AmiServer pbx;
    private Node node;

    record Expectation(String file, String status, String reason, String source, boolean voicemail) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<Expectation> expectations() throws Exception {
        var out = new ArrayList<Expectation>();
        for (String line : Files.readAllLines(DIR.resolve("expected.tsv"))) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t");
            out.add(new Expectation(f[0], f[1], f[2].equals("-") ? null : f[2], f[3], Boolean.parseBoolean(f[4])));
        }
        return out.stream();
    }

    @BeforeAll
    void start() throws Exception {
        pbx = new AmiServer(0, "switchboard", "replay");
        var env = TestNodes.amiNodeEnv("TranscriptReplayTest", pbx.port(), "replay");
        node = Node.start(Settings.load(null, env));
        await(Duration.ofSeconds(30), () -> get(node.httpPort(), "/readyz", null), r -> r.status() == 200);
    }

    @AfterAll
    void stop() throws Exception {
        node.close();
        pbx.close();
    }

    /** The event frames of a transcript (login chatter and responses dropped), in order. */
    static List<String> eventFrames(String raw) {
        var frames = new ArrayList<String>();
        for (String frame : raw.split("\r\n\r\n")) {
            String f = frame.strip();
            if (f.startsWith("Event:")) frames.add(f + "\r\n\r\n");
        }
        return frames;
    }

    static Map<String, String> headers(String frame) {
        var h = new LinkedHashMap<String, String>();
        for (String line : frame.split("\r\n")) {
            int c = line.indexOf(':');
            if (c > 0)
                h.putIfAbsent(line.substring(0, c).trim(), line.substring(c + 1).trim());
        }
        return h;
    }

    /** Linkedids of inbound caller channels: Newchannel in from-carrier with Uniqueid = Linkedid. */
    static List<String> inboundCalls(List<String> frames) {
        var ids = new ArrayList<String>();
        for (String f : frames) {
            var h = headers(f);
            if ("Newchannel".equals(h.get("Event"))
                    && "from-carrier".equals(h.get("Context"))
                    && h.get("Uniqueid") != null
                    && h.get("Uniqueid").equals(h.get("Linkedid"))) {
                ids.add(h.get("Linkedid"));
            }
        }
        return ids;
    }

    /** The same calls recovered from the PBX's CDR file alone (as after a link cut) get the same outcome. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("expectations")
    void recordedPathIsRecoveredFromTheCdrAlike(Expectation e) throws Exception {
        var rows = new ArrayList<CdrBackfill.Row>();
        for (String line : Files.readAllLines(DIR.resolve(e.file() + ".cdr.csv"))) rows.add(CdrBackfill.parse(line));
        var signals = CdrBackfill.signals("cdr", rows, Instant.EPOCH, java.util.Set.of());
        assertFalse(signals.isEmpty(), e.file());
        for (var s : signals)
            node.signals().ask(s, Duration.ofSeconds(10)).toCompletableFuture().get();
        String id = signals.get(0).callId();
        var r = await(
                Duration.ofSeconds(30),
                () -> get(node.httpPort(), "/api/calls/" + id, TOKEN),
                x -> x.status() == 200 && x.body().contains("\"endedAt\":\""));
        assertOutcome(e, r.body());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectations")
    void recordedPathIsClassifiedAsOnTheRealPbx(Expectation e) throws Exception {
        String raw = Files.readString(DIR.resolve(e.file() + ".ami"), StandardCharsets.UTF_8);
        var frames = eventFrames(raw);
        var calls = inboundCalls(frames);
        assertFalse(calls.isEmpty(), "no inbound call in " + e.file());
        pbx.send(String.join("", frames));
        for (String linkedId : calls) {
            String id = "main:" + linkedId;
            var r = await(
                    Duration.ofSeconds(30),
                    () -> get(node.httpPort(), "/api/calls/" + id, TOKEN),
                    x -> x.status() == 200 && x.body().contains("\"endedAt\":\""));
            assertOutcome(e, r.body());
        }
    }

    private static void assertOutcome(Expectation e, String body) throws Exception {
        var call = JSON.readTree(body).get("call");
        assertEquals(e.status(), call.get("status").asText(), e.file() + " " + body);
        assertEquals(
                e.reason() == null ? "null" : e.reason(),
                call.get("missedReason").isNull()
                        ? "null"
                        : call.get("missedReason").asText(),
                e.file());
        assertEquals(e.source(), call.get("source").asText(), e.file());
        assertEquals(e.voicemail(), call.get("voicemail").asBoolean(), e.file());
    }
}
