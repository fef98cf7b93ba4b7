package switchboard.booking;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import switchboard.common.DecisionLogic;

/** The contractor's office hours and holidays, in the contractor's zone: is the office open at a given instant? */
@DecisionLogic
public record OpenHours(ZoneId zone, Map<DayOfWeek, Range> week, Set<LocalDate> holidays) {

    public enum State {
        OPEN,
        AFTER_HOURS,
        HOLIDAY
    }

    /** [from, to) on one day. */
    public record Range(LocalTime from, LocalTime to) {
        public Range {
            if (from == null || to == null || !to.isAfter(from))
                throw new IllegalArgumentException(
                        "hours must be a range such as 07:00-18:00 that ends after it starts");
        }

        public static Range parse(String text) {
            var parts = text == null ? new String[0] : text.trim().split("-");
            if (parts.length != 2)
                throw new IllegalArgumentException("hours are written like 07:00-18:00, got '" + text + "'");
            try {
                return new Range(LocalTime.parse(parts[0].trim()), LocalTime.parse(parts[1].trim()));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("hours are written like 07:00-18:00, got '" + text + "'");
            }
        }

        public boolean contains(LocalTime t) {
            return !t.isBefore(from) && t.isBefore(to);
        }
    }

    public OpenHours {
        if (zone == null) throw new IllegalArgumentException("open hours need the contractor's time zone");
        week = week.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(week));
        holidays = Set.copyOf(holidays);
    }

    public State at(Instant when) {
        var local = when.atZone(zone);
        if (holidays.contains(local.toLocalDate())) return State.HOLIDAY;
        var today = week.get(local.getDayOfWeek());
        return today != null && today.contains(local.toLocalTime()) ? State.OPEN : State.AFTER_HOURS;
    }
}
