package switchboard.tools.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import switchboard.Main;

/**
 * {@code loadtest} with the AMI link cut every 10 s: calls start, wait, get answered and end while the node is
 * blind, and still every call gets exactly the outcome the real PBX gave it (the simulator's ground truth); the
 * missed callers are called back meanwhile, within the governor's channel limit.
 */
class LoadTestCommandTest {
    @TempDir
    Path dir;

    @Test
    void linkCutsLoseNothingAndDuplicateNothing() throws Exception {
        Path config = dir.resolve("lt.conf");
        Files.writeString(config, """
        switchboard.http.port = 0
        switchboard.cluster.port = 0
        switchboard.db.url = "jdbc:h2:mem:loadtest-test;DB_CLOSE_DELAY=-1"
        switchboard.http.api-token = lt-token
        # callbacks run too: the governor dials the simulator's customers back, never more than 2 at once
        switchboard.callbacks {
          enabled = true
          grace-period = 1s
          dial = "PJSIP/{number}@customer"
          max-concurrent = 2
          max-attempts-per-second = 5
          release = customer-first
          overshoot = 2
          calling-window = "00:00-24:00"
          poll = 200ms
        }
        """);
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(
                new String[] {
                    "loadtest",
                    "--config",
                    config.toString(),
                    "--rate",
                    "3",
                    "--duration",
                    "24",
                    "--cut-ami-every",
                    "10",
                    "--report-dir",
                    dir.toString()
                },
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        var report =
                new ObjectMapper().readTree(dir.resolve("loadtest-report.json").toFile());
        assertEquals(0, code, text);
        assertTrue(report.get("calls").asInt() >= 40, text);
        assertTrue(report.get("amiCuts").asInt() >= 2, text);
        assertTrue(
                report.at("/detectionAcrossOutagesMs/samples").asInt() > 0,
                "some calls were on the line during a cut: " + text);
        assertEquals(0, report.get("lost").asInt(), text);
        assertEquals(0, report.get("duplicated").asInt(), text);
        assertEquals(0, report.get("wrong").asInt(), text);
        assertTrue(Files.readString(dir.resolve("loadtest-report.txt")).contains("0 lost, 0 duplicated, 0 wrong"));
        // The callbacks, counted on the simulator's side of the wire, against the governor's limit.
        assertEquals(2, report.at("/pbx/callbackLimit").asInt(), text);
        assertTrue(report.at("/pbx/originates").asInt() > 0, "the missed callers were called back: " + text);
        assertTrue(report.at("/pbx/maxConcurrentOriginated").asInt() <= 2, text);
    }
}
