package switchboard.booking;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import switchboard.common.DecisionLogic;

/**
 * The dispatch board's plan: per board (a job type — {@code service}, {@code estimate}, …) and weekday, the arrival
 * windows a customer may pick and how many jobs each takes (technicians × slots), in the contractor's zone; no
 * windows on holidays. What is booked lives in one {@link BoardDay} entity per board and date; this class only
 * says which windows exist and which of them are the next free ones.
 */
@DecisionLogic
public record BoardPlan(ZoneId zone, Map<String, Map<DayOfWeek, List<Slot>>> boards, Set<LocalDate> holidays) {

    /** An arrival window of a weekday and its usual capacity. */
    public record Slot(OpenHours.Range hours, int capacity) {
        public Slot {
            if (capacity < 0) throw new IllegalArgumentException("a window's capacity is 0 or more, got " + capacity);
        }

        public String id() {
            return hours.from() + "-" + hours.to();
        }
    }

    /** A window on a date, with what is taken. */
    public record Window(
            String board, LocalDate date, String id, ZonedDateTime start, ZonedDateTime end, int capacity, int booked) {
        public boolean free() {
            return booked < capacity;
        }
    }

    public BoardPlan {
        if (zone == null) throw new IllegalArgumentException("the board needs the contractor's time zone");
        boards = Map.copyOf(boards);
        holidays = Set.copyOf(holidays);
    }

    public boolean has(String board) {
        return boards.containsKey(board);
    }

    /** The plan's slots of {@code board} on {@code date} (none on holidays or unknown boards). */
    public List<Slot> slots(String board, LocalDate date) {
        var week = boards.get(board);
        if (week == null || holidays.contains(date)) return List.of();
        return week.getOrDefault(date.getDayOfWeek(), List.of());
    }

    /**
     * The first {@code howMany} windows of {@code board} that start after {@code earliest} and still have room,
     * looking {@code days} days ahead. {@code day} gives a date's bookings: window id → (capacity, booked), the
     * capacity there overriding the plan's where a person set one.
     */
    public List<Window> nextFree(
            String board,
            Instant earliest,
            int howMany,
            int days,
            BiFunction<String, LocalDate, Map<String, int[]>> day) {
        var out = new ArrayList<Window>();
        var from = earliest.atZone(zone);
        for (int d = 0; d <= days && out.size() < howMany; d++) {
            var date = from.toLocalDate().plusDays(d);
            var slots = slots(board, date);
            if (slots.isEmpty()) continue;
            var taken = day.apply(board, date);
            for (var s : slots) {
                var start = date.atTime(s.hours().from()).atZone(zone);
                if (!start.isAfter(from)) continue;
                var t = taken.get(s.id());
                int capacity = t == null ? s.capacity() : t[0];
                int booked = t == null ? 0 : t[1];
                var w = new Window(
                        board, date, s.id(), start, date.atTime(s.hours().to()).atZone(zone), capacity, booked);
                if (w.free()) out.add(w);
                if (out.size() == howMany) break;
            }
        }
        return out;
    }
}
