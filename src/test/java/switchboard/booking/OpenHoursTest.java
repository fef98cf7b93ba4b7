package switchboard.booking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OpenHoursTest {
    private final OpenHours hours = new OpenHours(
            ZoneId.of("America/New_York"),
            Map.of(
                    DayOfWeek.MONDAY,
                    OpenHours.Range.parse("07:00-18:00"),
                    DayOfWeek.SATURDAY,
                    OpenHours.Range.parse("08:00-12:00")),
            Set.of(LocalDate.parse("2026-12-25")));

    @Test
    void openClosedAndHolidaysAreDecidedInTheContractorsZone() {
        assertEquals(OpenHours.State.OPEN, hours.at(Instant.parse("2026-12-07T12:00:00Z")), "Monday 07:00 EST");
        assertEquals(OpenHours.State.AFTER_HOURS, hours.at(Instant.parse("2026-12-07T11:59:59Z")), "Monday 06:59 EST");
        assertEquals(OpenHours.State.AFTER_HOURS, hours.at(Instant.parse("2026-12-07T23:00:00Z")), "Monday 18:00 EST");
        assertEquals(OpenHours.State.OPEN, hours.at(Instant.parse("2026-12-12T16:59:00Z")), "Saturday 11:59 EST");
        assertEquals(OpenHours.State.AFTER_HOURS, hours.at(Instant.parse("2026-12-13T16:00:00Z")), "Sunday: no hours");
        assertEquals(OpenHours.State.HOLIDAY, hours.at(Instant.parse("2026-12-25T15:00:00Z")), "Christmas, a Friday");
    }

    @Test
    void badHoursSayHowToWriteThem() {
        var e = assertThrows(IllegalArgumentException.class, () -> OpenHours.Range.parse("7am-6pm"));
        assertEquals("hours are written like 07:00-18:00, got '7am-6pm'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OpenHours.Range.parse("18:00-07:00"));
    }
}
