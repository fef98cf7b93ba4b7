package switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void unknownCommandsAndOptionsAreOneClearLine() {
    var r = run("serrve");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("switchboard: unknown command 'serrve'"));
    var opt = run("serve", "--port", "1");
    assertEquals(2, opt.code());
    assertTrue(opt.err().startsWith("switchboard: serve: unknown option(s) [--port, 1]"), opt.err());
  }

  @Test
  void badCallbackBenchmarkOptionsAreOneClearLine() {
    var r = run("bench-callbacks", "--limit", "zero");
    assertEquals(2, r.code());
    assertEquals("switchboard: bench-callbacks: --limit must be a positive whole number, got 'zero'", r.err().strip());
    var unknown = run("bench-callbacks", "--spike", "5");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().startsWith("switchboard: bench-callbacks: unknown option --spike ("), unknown.err());
    assertTrue(run("help").out().contains("bench-callbacks"));
  }

  @Test
  void aMissingConfigFileStopsStartUpNamingIt() {
    var r = run("serve", "--config", "/nonexistent/switchboard.conf");
    assertEquals(2, r.code());
    assertEquals("switchboard: bad setting: --config: cannot read file /nonexistent/switchboard.conf", r.err().strip());
    assertFalse(r.err().contains("Exception"));
  }

  @Test
  void helpPrintsUsage() {
    var r = run("help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("serve [--config FILE]"));
  }
}
