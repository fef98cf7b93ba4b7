package switchboard.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallingWindowTest {
    private static final ZoneId RALEIGH = ZoneId.of("America/New_York");
    private final CallingWindow anyHours =
            new CallingWindow(CallingWindow.defaultWindow(), CallingWindow.BusinessHours.always(RALEIGH));

    private static Instant at(String local, ZoneId zone) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(local), zone).toInstant();
    }

    @Test
    void zonesComeFromTheNumber() {
        assertEquals(List.of(ZoneId.of("America/New_York")), CallingWindow.zonesOf("+12125551234"));
        assertEquals(List.of(ZoneId.of("America/Los_Angeles")), CallingWindow.zonesOf("+12135551234"));
        assertEquals(List.of(ZoneId.of("Europe/London")), CallingWindow.zonesOf("+442079460000"));
        assertEquals(2, CallingWindow.zonesOf("+12085551234").size(), "Idaho's 208 spans Mountain and Pacific time");
        assertTrue(CallingWindow.zonesOf("+18005551234").isEmpty(), "toll-free maps to every NANP zone: unknown");
        assertTrue(CallingWindow.zonesOf("not a number").isEmpty());
    }

    @Test
    void insideTheCalleesWindowDialsNow() {
        var v = anyHours.check(
                "+12135551234", Optional.empty(), at("2026-07-15T10:00", ZoneId.of("America/Los_Angeles")));
        assertTrue(v.now());
    }

    @Test
    void tooEarlyForTheCalleeWaitsUntilEightTheirTime() {
        // 10:30 in Raleigh is 07:30 in Los Angeles
        var now = at("2026-07-15T10:30", RALEIGH);
        var v = anyHours.check("+12135551234", Optional.empty(), now);
        assertFalse(v.now());
        assertEquals(CallingWindow.Block.CALLEE_LOCAL_TIME, v.block());
        assertEquals(at("2026-07-15T08:00", ZoneId.of("America/Los_Angeles")), v.next());
    }

    @Test
    void tooLateWaitsUntilTheNextMorning() {
        var v = anyHours.check("+12125551234", Optional.empty(), at("2026-07-15T21:00", RALEIGH));
        assertEquals(at("2026-07-16T08:00", RALEIGH), v.next(), "21:00 is outside [08:00, 21:00)");
    }

    @Test
    void aNumberInTwoZonesIsCalledOnlyWhenBothAllowIt() {
        // 208: Boise (Mountain) and Pacific. 08:30 Mountain is 07:30 Pacific: wait for 08:00 Pacific = 09:00 Mountain.
        var v = anyHours.check("+12085551234", Optional.empty(), at("2026-07-15T08:30", ZoneId.of("America/Boise")));
        assertEquals(at("2026-07-15T09:00", ZoneId.of("America/Boise")), v.next());
        // and at the evening end: 20:30 Pacific is 21:30 Mountain — already too late
        var late = anyHours.check(
                "+12085551234", Optional.empty(), at("2026-07-15T20:30", ZoneId.of("America/Los_Angeles")));
        assertFalse(late.now());
    }

    @Test
    void aLeadsOwnZoneOverridesTheNumber() {
        var now = at("2026-07-15T10:30", RALEIGH); // 07:30 in LA, but this customer lives in Raleigh
        assertTrue(anyHours.check("+12135551234", Optional.of(RALEIGH), now).now());
    }

    @Test
    void anUnknownZoneFallsBackToTheContractorsZone() {
        assertTrue(anyHours.check("+18005551234", Optional.empty(), at("2026-07-15T10:00", RALEIGH))
                .now());
        assertEquals(
                at("2026-07-16T08:00", RALEIGH),
                anyHours.check("+18005551234", Optional.empty(), at("2026-07-15T22:00", RALEIGH))
                        .next());
    }

    @Test
    void businessHoursDeferToTheNextOpening() {
        var days = new EnumMap<DayOfWeek, CallingWindow.Range>(DayOfWeek.class);
        for (var d : List.of(
                DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY)) {
            days.put(d, new CallingWindow.Range(LocalTime.of(7, 0), LocalTime.of(18, 0)));
        }
        var window = new CallingWindow(CallingWindow.defaultWindow(), new CallingWindow.BusinessHours(RALEIGH, days));
        // Saturday 2026-07-18 noon: the customer could take the call, the office is closed until Monday 08:00
        var v = window.check("+19195550123", Optional.empty(), at("2026-07-18T12:00", RALEIGH));
        assertEquals(CallingWindow.Block.BUSINESS_HOURS, v.block());
        assertEquals(
                at("2026-07-20T08:00", RALEIGH),
                v.next(),
                "Monday: the office opens at 07:00, the callee's window at 08:00");
    }

    @Test
    void theWindowHoldsAcrossADaylightSavingChange() {
        // US clocks go forward on 2026-03-08 at 02:00. 06:00 local that day → 08:00 local, 2 wall hours later.
        var v = anyHours.check("+19195550123", Optional.empty(), at("2026-03-08T06:00", RALEIGH));
        assertEquals(at("2026-03-08T08:00", RALEIGH), v.next());
    }

    @Test
    void neverOpenIsNeverNotALoop() {
        var closed = new CallingWindow(
                CallingWindow.defaultWindow(),
                new CallingWindow.BusinessHours(RALEIGH, new EnumMap<>(DayOfWeek.class)));
        var v = closed.check("+19195550123", Optional.empty(), at("2026-07-15T10:00", RALEIGH));
        assertTrue(v.never());
        assertEquals(CallingWindow.Block.NO_ALLOWED_TIME, v.block());
    }

    @Test
    void aBackwardsRangeIsAClearError() {
        var e = assertThrows(
                IllegalArgumentException.class, () -> new CallingWindow.Range(LocalTime.of(21, 0), LocalTime.of(8, 0)));
        assertTrue(e.getMessage().contains("ends before it starts"), e.getMessage());
    }
}
