package switchboard.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationsTest {
    @Test
    void unitsAndPlainNumbers() {
        assertEquals(Duration.ofSeconds(30), Durations.parse("30s", ChronoUnit.SECONDS));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1500ms", ChronoUnit.SECONDS));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2m", ChronoUnit.MILLIS));
        assertEquals(Duration.ofHours(1), Durations.parse("1h", ChronoUnit.SECONDS));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s", ChronoUnit.SECONDS));
        assertEquals(Duration.ofSeconds(30), Durations.parse(" 30 S ", ChronoUnit.SECONDS));
        assertEquals(
                Duration.ofSeconds(60),
                new Durations.Seconds().convert("60"),
                "a plain number is seconds for the seconds options");
        assertEquals(
                Duration.ofMillis(500), new Durations.Millis().convert("500"), "and milliseconds for the -ms ones");
        assertEquals(Duration.ZERO, new Durations.Millis().convert("0"));
    }

    @Test
    void badDurationsAreOneLine() {
        for (var bad : List.of("", "30x", "-3", "s", "1.s", "NaN", "3 0s", "1m30s")) {
            var e = assertThrows(TypeConversionException.class, () -> new Durations.Seconds().convert(bad));
            assertEquals(
                    "'" + bad + "' is not a duration (e.g. 30s, 1500ms, 2m, 1h; a plain number is seconds)",
                    e.getMessage());
        }
        assertThrows(TypeConversionException.class, () -> new Durations.Seconds().convert("99999999999999h"));
        assertEquals(90, Durations.wholeSeconds("--duration", Duration.ofSeconds(90)));
        var e = assertThrows(
                IllegalArgumentException.class, () -> Durations.wholeSeconds("--duration", Duration.ofMillis(1500)));
        assertEquals("--duration needs whole seconds, got 1500 ms", e.getMessage());
    }
}
