package switchboard.pbx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static switchboard.TestNodes.TOKEN;
import static switchboard.TestNodes.await;
import static switchboard.TestNodes.get;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import switchboard.Node;
import switchboard.Settings;
import switchboard.TestNodes;
import switchboard.tools.sim.AmiServer;

/**
 * Calls that happened while the node was down: on its first connect the node recovers them from the PBX's
 * CDR file (within {@code backfill-window}), and leaves older ones alone.
 */
class DowntimeBackfillTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The recorded CDR rows of a path, moved in time so that the call ended {@code agoSeconds} ago. */
    private static String shifted(String fixture, long agoSeconds) throws Exception {
        var lines = Files.readAllLines(TranscriptReplayTest.DIR.resolve(fixture + ".cdr.csv"));
        double lastEnd = 0;
        for (String l : lines)
            lastEnd =
                    Math.max(lastEnd, Double.parseDouble(CdrBackfill.splitCsv(l).get(4)));
        double shift = Instant.now().getEpochSecond() - agoSeconds - lastEnd;
        var out = new StringBuilder();
        for (String l : lines) {
            var f = new ArrayList<>(CdrBackfill.splitCsv(l));
            for (int i = 2; i <= 4; i++) {
                double v = Double.parseDouble(f.get(i));
                if (v > 0) f.set(i, String.format("%.6f", v + shift));
            }
            out.append('"').append(String.join("\",\"", f)).append("\"\n");
        }
        return out.toString();
    }

    /** The recorded call's Linkedid (the CDR's second column). */
    private static String linkedId(String fixture) throws Exception {
        return CdrBackfill.splitCsv(Files.readAllLines(TranscriptReplayTest.DIR.resolve(fixture + ".cdr.csv"))
                        .get(0))
                .get(1);
    }

    @Test
    void callsDuringNodeDowntimeAreRecoveredOnTheFirstConnect() throws Exception {
        Path cdr = dir.resolve("switchboard-cdr.csv");
        Files.writeString(
                cdr,
                shifted("queue-timeout-voicemail", 3 * 3600) // before the window: left alone
                        + shifted("after-hours", 600) + shifted("queue-answered", 300)
                        + "garbage line that is not a CDR row\n");
        try (var pbx = new AmiServer(0, "switchboard", "down")) {
            var env = TestNodes.amiNodeEnv("DowntimeBackfillTest", pbx.port(), "down");
            env.put("SWITCHBOARD_CDR_FILE", cdr.toString());
            try (var node = Node.start(Settings.load(null, env))) {
                var afterHours = await(
                        Duration.ofSeconds(30),
                        () -> get(node.httpPort(), "/api/calls/main:" + linkedId("after-hours"), TOKEN),
                        r -> r.status() == 200 && r.body().contains("\"endedAt\":\""));
                assertEquals(
                        "AFTER_HOURS",
                        JSON.readTree(afterHours.body())
                                .at("/call/missedReason")
                                .asText());
                var answered = await(
                        Duration.ofSeconds(30),
                        () -> get(node.httpPort(), "/api/calls/main:" + linkedId("queue-answered"), TOKEN),
                        r -> r.status() == 200 && r.body().contains("\"endedAt\":\""));
                assertEquals(
                        "answered",
                        JSON.readTree(answered.body()).at("/call/status").asText());
                assertEquals(
                        404,
                        get(node.httpPort(), "/api/calls/main:" + linkedId("queue-timeout-voicemail"), TOKEN)
                                .status(),
                        "older than the backfill window");
            }
        }
    }
}
