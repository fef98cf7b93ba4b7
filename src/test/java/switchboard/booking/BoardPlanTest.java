package switchboard.booking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BoardPlanTest {
    private static final ZoneId NY = ZoneId.of("America/New_York");
    private static final BoardPlan.Slot MORNING = new BoardPlan.Slot(OpenHours.Range.parse("08:00-12:00"), 3);
    private static final BoardPlan.Slot AFTERNOON = new BoardPlan.Slot(OpenHours.Range.parse("12:00-16:00"), 2);
    private final BoardPlan plan = new BoardPlan(
            NY,
            Map.of(
                    "service",
                    Map.of(
                            DayOfWeek.MONDAY, List.of(MORNING, AFTERNOON),
                            DayOfWeek.TUESDAY, List.of(MORNING, AFTERNOON),
                            DayOfWeek.FRIDAY, List.of(MORNING))),
            Set.of(LocalDate.parse("2026-12-08")));

    private static List<String> labels(List<BoardPlan.Window> ws) {
        return ws.stream().map(w -> w.date() + " " + w.id()).toList();
    }

    @Test
    void theNextTwoFreeWindowsStartAfterNowSkipHolidaysAndFullWindows() {
        // Monday 2026-12-07 09:30 New York: the morning has started, so the afternoon is first.
        var now = Instant.parse("2026-12-07T14:30:00Z");
        var none = plan.nextFree("service", now, 2, 7, (b, d) -> Map.of());
        assertEquals(
                List.of("2026-12-07 12:00-16:00", "2026-12-11 08:00-12:00"),
                labels(none),
                "Tuesday the 8th is a holiday; Wednesday and Thursday have no windows");

        var afternoonFull = plan.nextFree(
                "service",
                now,
                2,
                14,
                (b, d) -> d.equals(LocalDate.parse("2026-12-07")) ? Map.of("12:00-16:00", new int[] {2, 2}) : Map.of());
        assertEquals(List.of("2026-12-11 08:00-12:00", "2026-12-14 08:00-12:00"), labels(afternoonFull));
    }

    @Test
    void aCapacityAPersonSetForTheDayWinsOverThePlan() {
        var now = Instant.parse("2026-12-07T12:00:00Z"); // 07:00 New York
        var raised = plan.nextFree("service", now, 1, 0, (b, d) -> Map.of("08:00-12:00", new int[] {5, 3}));
        assertEquals(5, raised.get(0).capacity());
        assertEquals(3, raised.get(0).booked());
        var closed = plan.nextFree(
                "service",
                now,
                1,
                0,
                (b, d) -> Map.of("08:00-12:00", new int[] {0, 0}, "12:00-16:00", new int[] {0, 0}));
        assertTrue(closed.isEmpty(), "capacity 0: closed that day");
    }

    @Test
    void unknownBoardsAndHolidaysHaveNoWindows() {
        assertTrue(plan.slots("install", LocalDate.parse("2026-12-07")).isEmpty());
        assertTrue(plan.slots("service", LocalDate.parse("2026-12-08")).isEmpty());
        assertEquals(2, plan.slots("service", LocalDate.parse("2026-12-07")).size());
    }
}
