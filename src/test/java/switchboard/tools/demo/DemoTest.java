package switchboard.tools.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import switchboard.Main;

/** {@code demo} starts, the simulated PBX's calls are handled within seconds, and it stops by itself. */
class DemoTest {
    @TempDir
    Path dir;

    @Test
    void demoHandlesCallsWithinSeconds() throws Exception {
        Path config = dir.resolve("demo.conf");
        Files.writeString(config, """
        switchboard.http.port = 0
        switchboard.cluster.port = 0
        switchboard.db.url = "jdbc:h2:mem:demo-test;DB_CLOSE_DELAY=-1"
        switchboard.http.api-token = demo-test-token
        """);
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(
                new String[] {"demo", "--config", config.toString(), "--rate", "4", "--seconds", "14"},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text + err);
        assertTrue(text.contains("/api/calls?status=missed"), text);
        var last = Pattern.compile("placed (\\d+) \\| on the line \\d+ \\| answered (\\d+) \\| missed (\\d+)")
                .matcher(text);
        long placed = 0, answered = 0, missed = 0;
        while (last.find()) {
            placed = Long.parseLong(last.group(1));
            answered = Long.parseLong(last.group(2));
            missed = Long.parseLong(last.group(3));
        }
        assertTrue(placed >= 20, text);
        assertTrue(answered > 0 && missed > 0, "calls were answered and missed within seconds:\n" + text);
    }
}
