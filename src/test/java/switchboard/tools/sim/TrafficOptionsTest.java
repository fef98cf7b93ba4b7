package switchboard.tools.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficOptionsTest {
  @Test
  void takesItsOptionsAndLeavesTheRestInOrder() {
    var o = TrafficOptions.parse(List.of("--rate", "200", "--agents", "40", "--spike", "3@20+30", "--duration", "60", "--handle-time", "90", "--patience", "25"));
    assertEquals(List.of("--rate", "200", "--duration", "60"), o.rest());
    assertEquals(List.of("--agents", "40", "--spike", "3@20+30", "--handle-time", "90", "--patience", "25"), o.consumed());
    var p = o.apply(TrafficModel.peakSeason());
    assertEquals(40, p.queue().agents());
    assertEquals(90, p.queue().handleMeanSeconds());
    assertEquals(25, p.queue().patienceMeanSeconds());
    assertEquals(new TrafficModel.Spike(3, 20, 30), p.spike());
    assertEquals(40, new TrafficModel(p, 1, java.time.ZoneId.of("UTC")).agents());
    // Untouched: the rest of the profile.
    assertEquals(TrafficModel.peakSeason().otherPaths(), p.otherPaths());
    assertEquals(TrafficModel.peakSeason().queue().ringNoAnswerRate(), p.queue().ringNoAnswerRate());
  }

  @Test
  void noOptionsLeaveTheProfileAsItIs() {
    var o = TrafficOptions.parse(List.of("--profile", "normal-day"));
    assertEquals(List.of(), o.consumed());
    var p = TrafficModel.normalDay();
    assertSame(p, o.apply(p));
    assertNull(p.spike());
  }

  @Test
  void badValuesGetAOneLineError() {
    assertError("--agents needs a whole number of at least 1, got '0'", "--agents", "0");
    assertError("--agents needs a whole number of at least 1, got 'many'", "--agents", "many");
    assertError("--handle-time needs a number of seconds above 0, got '-3'", "--handle-time", "-3");
    assertError("--patience needs a number of seconds above 0, got 'NaN'", "--patience", "NaN");
    assertError("--patience needs a value", "--patience");
    for (String bad : List.of("3", "3@20", "x@1+2", "0@10+5", "3@10+0", "1.2.3@1+2")) {
      var e = assertThrows(IllegalArgumentException.class, () -> TrafficOptions.parse(List.of("--spike", bad)));
      assertTrue(e.getMessage().startsWith("--spike needs FACTOR@AT+FOR") && e.getMessage().endsWith("got '" + bad + "'"), e.getMessage());
      assertTrue(!e.getMessage().contains("\n"));
    }
  }

  private static void assertError(String message, String... args) {
    var e = assertThrows(IllegalArgumentException.class, () -> TrafficOptions.parse(List.of(args)));
    assertEquals(message, e.getMessage());
  }
}
