package switchboard.tools.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TrafficOptionsTest {
    private static TrafficOptions parse(String... args) {
        var o = new TrafficOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    @Test
    void takesItsOptionsWithTimesInAnyUnit() {
        var o = parse("--agents", "40", "--spike", "3@20+30", "--handle-time", "90", "--patience", "25s");
        assertEquals(
                List.of("--agents", "40", "--handle-time", "90", "--patience", "25", "--spike", "3@20+30"),
                o.consumed());
        var p = o.apply(TrafficModel.peakSeason());
        assertEquals(40, p.queue().agents());
        assertEquals(90, p.queue().handleMeanSeconds());
        assertEquals(25, p.queue().patienceMeanSeconds());
        assertEquals(new TrafficModel.Spike(3, 20, 30), p.spike());
        assertEquals(40, new TrafficModel(p, 1, java.time.ZoneId.of("UTC")).agents());
        // Untouched: the rest of the profile.
        assertEquals(TrafficModel.peakSeason().otherPaths(), p.otherPaths());
        assertEquals(
                TrafficModel.peakSeason().queue().ringNoAnswerRate(), p.queue().ringNoAnswerRate());
        assertEquals(
                150,
                parse("--handle-time", "2.5m")
                        .apply(TrafficModel.peakSeason())
                        .queue()
                        .handleMeanSeconds());
        assertEquals(
                1.5,
                parse("--patience", "1500ms")
                        .apply(TrafficModel.peakSeason())
                        .queue()
                        .patienceMeanSeconds());
    }

    @Test
    void noOptionsLeaveTheProfileAsItIs() {
        var o = parse();
        assertEquals(List.of(), o.consumed());
        var p = TrafficModel.normalDay();
        assertSame(p, o.apply(p));
        assertNull(p.spike());
    }

    @Test
    void badValuesGetAOneLineErrorNamingTheOption() {
        assertError(
                "Invalid value for option '--agents': needs a whole number of at least 1, got '0'", "--agents", "0");
        assertError(
                "Invalid value for option '--agents': needs a whole number of at least 1, got 'many'",
                "--agents",
                "many");
        assertError(
                "Invalid value for option '--handle-time': '-3' is not a duration (e.g. 30s, 1500ms, 2m, 1h; a plain number is seconds)",
                "--handle-time",
                "-3");
        assertError(
                "Invalid value for option '--patience': 'NaN' is not a duration (e.g. 30s, 1500ms, 2m, 1h; a plain number is seconds)",
                "--patience",
                "NaN");
        assertError("Invalid value for option '--patience': needs a duration above 0, got '0s'", "--patience", "0s");
        assertError("Missing required parameter for option '--patience' (DURATION)", "--patience");
        for (String bad : List.of("3", "3@20", "x@1+2", "0@10+5", "3@10+0", "1.2.3@1+2")) {
            var e = assertThrows(CommandLine.ParameterException.class, () -> parse("--spike", bad));
            assertTrue(
                    e.getMessage().startsWith("Invalid value for option '--spike': needs FACTOR@AT+FOR")
                            && e.getMessage().endsWith("got '" + bad + "'"),
                    e.getMessage());
            assertTrue(!e.getMessage().contains("\n"));
        }
    }

    private static void assertError(String message, String... args) {
        var e = assertThrows(CommandLine.ParameterException.class, () -> parse(args));
        assertEquals(message, e.getMessage());
    }
}
