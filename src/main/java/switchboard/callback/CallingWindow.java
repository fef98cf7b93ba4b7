package switchboard.callback;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import switchboard.common.DecisionLogic;

/**
 * When a callback may ring: inside the callee's local calling window (default 08:00–21:00) in every time zone
 * their number may be in, and inside the contractor's business hours (its CSRs take the call). Pure.
 *
 * <p>The callee's zones come from the number (libphonenumber's prefix data) unless the lead overrides them. A
 * number whose area spans two zones (some US area codes do) is only called when it is allowed in both: calling
 * someone at 7:30 in the morning is not worth a lead. A number with no known zone is called in the contractor's
 * zone only when that is inside the window there too — and the caller is told why if never.
 */
@DecisionLogic
public final class CallingWindow {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    /** A number mapped to more zones than this (toll-free, non-geographic: all of NANP) says nothing about where its owner is. */
    static final int MAX_ZONES = 3;
    /** How far ahead to look for the next allowed instant; beyond it the attempt is not callable. */
    static final Duration HORIZON = Duration.ofDays(8);

    /** A daily local time range [from, to); from == to means closed all day. */
    public record Range(LocalTime from, LocalTime to) {
        public Range {
            if (from == null || to == null) throw new IllegalArgumentException("a time range needs both ends");
            if (to.isBefore(from))
                throw new IllegalArgumentException("time range " + from + "-" + to
                        + " ends before it starts (overnight ranges are not supported)");
        }

        boolean contains(LocalTime t) {
            return !t.isBefore(from) && t.isBefore(to);
        }
    }

    /** The contractor's opening hours per weekday, in its zone; a missing day is closed. */
    public record BusinessHours(ZoneId zone, Map<DayOfWeek, Range> days) {
        public BusinessHours {
            days = Map.copyOf(days);
        }

        /** Every day, all day (no business-hours constraint). */
        public static BusinessHours always(ZoneId zone) {
            var all = new EnumMap<DayOfWeek, Range>(DayOfWeek.class);
            for (var d : DayOfWeek.values()) all.put(d, new Range(LocalTime.MIN, LocalTime.MAX));
            return new BusinessHours(zone, all);
        }

        public boolean open(Instant at) {
            var local = at.atZone(zone);
            var range = days.get(local.getDayOfWeek());
            return range != null && range.contains(local.toLocalTime());
        }
    }

    /** Why an instant is not allowed; null when it is. */
    public enum Block {
        CALLEE_LOCAL_TIME,
        BUSINESS_HOURS,
        NO_ALLOWED_TIME
    }

    /** The verdict for one attempt: dial now, wait until {@code next}, or never within the horizon. */
    public record Verdict(boolean now, Instant next, Block block, List<ZoneId> zones) {
        public boolean never() {
            return !now && next == null;
        }
    }

    private final Range window;
    private final BusinessHours hours;

    public CallingWindow(Range window, BusinessHours hours) {
        this.window = window;
        this.hours = hours;
    }

    public static Range defaultWindow() {
        return new Range(LocalTime.of(8, 0), LocalTime.of(21, 0));
    }

    /**
     * The time zones an E.164 number may be in (libphonenumber prefix data); empty when unknown (a non-geographic
     * or toll-free number, which maps to every zone of its plan, or a prefix the data does not map).
     */
    public static List<ZoneId> zonesOf(String e164) {
        try {
            var number = UTIL.parse(e164, "ZZ");
            var out = new ArrayList<ZoneId>();
            for (String id : PhoneNumberToTimeZonesMapper.getInstance().getTimeZonesForNumber(number)) {
                if (id.equals(PhoneNumberToTimeZonesMapper.getUnknownTimeZone())) continue;
                try {
                    out.add(ZoneId.of(id));
                } catch (RuntimeException unknownToJava) {
                    // a zone id the JDK does not know: skip it rather than guess
                }
            }
            return out.size() > MAX_ZONES ? List.of() : List.copyOf(out);
        } catch (NumberParseException e) {
            return List.of();
        }
    }

    /** The verdict for the number's own zones (or {@code override} when the lead has one). */
    public Verdict check(String e164, Optional<ZoneId> override, Instant now) {
        List<ZoneId> zones = override.map(List::of).orElseGet(() -> zonesOf(e164));
        if (zones.isEmpty()) zones = List.of(hours.zone()); // unknown: at least not at night where the contractor is
        return check(zones, now);
    }

    /** Dial now, or the first allowed instant within {@link #HORIZON} (minute resolution), or never. */
    public Verdict check(List<ZoneId> zones, Instant now) {
        Block block = blockAt(zones, now);
        if (block == null) return new Verdict(true, now, null, zones);
        // Step to the next minute boundary and scan; cheap (≤ 11,520 steps) and right across DST changes.
        Instant t = now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        Instant end = now.plus(HORIZON);
        while (t.isBefore(end)) {
            if (blockAt(zones, t) == null) return new Verdict(false, t, block, zones);
            t = t.plus(Duration.ofMinutes(1));
        }
        return new Verdict(false, null, Block.NO_ALLOWED_TIME, zones);
    }

    private Block blockAt(List<ZoneId> zones, Instant at) {
        for (ZoneId z : zones) {
            LocalTime local = ZonedDateTime.ofInstant(at, z).toLocalTime();
            if (!window.contains(local)) return Block.CALLEE_LOCAL_TIME;
        }
        return hours.open(at) ? null : Block.BUSINESS_HOURS;
    }
}
