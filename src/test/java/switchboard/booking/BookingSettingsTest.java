package switchboard.booking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import switchboard.Settings;
import switchboard.common.SettingsException;
import switchboard.lead.Qualification.Urgency;
import switchboard.qualify.ServiceMenu;

class BookingSettingsTest {
    private static Settings load(String hocon) throws Exception {
        Path file = Files.createTempFile("booking", ".conf");
        Files.writeString(file, hocon);
        return Settings.load(file, Map.of());
    }

    @Test
    void theDefaultsShipTheRuleTableABoardAndAMenu() {
        var s = Settings.load(null, Map.of());
        assertEquals(BookingRules.defaults(), s.booking().rules());
        assertEquals("service", s.booking().boardOfFlow().get(Flow.BOOK_SERVICE));
        assertEquals("estimate", s.booking().boardOfFlow().get(Flow.INSTALL));
        assertEquals(
                2,
                s.booking()
                        .board()
                        .slots("service", LocalDate.parse("2026-12-07"))
                        .size(),
                "a Monday");
        assertEquals(ServiceMenu.defaults(), s.qualify().menu());
        assertEquals(4573, s.qualify().agiPort());
        assertTrue(s.qualify().area().covers("repair", "99501"), "no area configured: every ZIP");
    }

    @Test
    void aContractorsOwnRulesHoursAreaAndBoard() throws Exception {
        var s = load("""
                switchboard.booking {
                  time-zone = "America/Chicago"
                  hours { saturday = "08:00-12:00" }
                  holidays = ["2026-12-25"]
                  rules = [
                    { name = quotes-to-a-person, when { urgency = [quote] }, then = human_review }
                    { name = everything-else, then = BOOK_SERVICE }
                  ]
                  boards { service { flows = [BOOK_SERVICE], windows { saturday = ["09:00-11:00 x4"] } } }
                }
                switchboard.qualify {
                  menu = [ { digit = 1, service = repair, label = "Repair", kind = repair }
                           { digit = 2, service = install, label = "New system", kind = INSTALL } ]
                  service-area { everywhere = ["606"], per-service { install = ["60601"] } }
                }
                """);
        var b = s.booking();
        assertEquals(
                OpenHours.State.OPEN, b.hours().at(Instant.parse("2026-12-12T15:00:00Z")), "Saturday 09:00 Chicago");
        assertEquals(OpenHours.State.HOLIDAY, b.hours().at(Instant.parse("2026-12-25T15:00:00Z")));
        assertEquals(
                OpenHours.State.AFTER_HOURS,
                b.hours().at(Instant.parse("2026-12-14T15:00:00Z")),
                "a Monday: the contractor's hours replace the shipped ones, not merge with them");
        var quote = new BookingRules.Situation(
                "repair",
                ServiceMenu.Kind.REPAIR,
                true,
                "60601",
                true,
                Urgency.QUOTE,
                null,
                OpenHours.State.OPEN,
                true);
        assertEquals(
                new BookingRules.Decision(Flow.HUMAN_REVIEW, "quotes-to-a-person"),
                b.rules().decide(quote));
        var slot = b.board().slots("service", LocalDate.parse("2026-12-12")).get(0);
        assertEquals(4, slot.capacity());
        assertEquals("09:00-11:00", slot.id());
        assertTrue(b.board().slots("service", LocalDate.parse("2026-12-14")).isEmpty());
        assertEquals(DayOfWeek.SATURDAY, LocalDate.parse("2026-12-12").getDayOfWeek());
        assertTrue(s.qualify().area().covers("repair", "60614"));
        assertTrue(!s.qualify().area().covers("install", "60614"));
        assertEquals("install", s.qualify().menu().byDigit("2").orElseThrow().service());
    }

    @Test
    void aBadValueNamesItsKeyAndSaysHowToWriteIt() throws Exception {
        assertBad(
                "switchboard.booking.boards.service { flows = [BOOK_SERVICE], windows.monday = [\"8-12\"] }",
                "switchboard.booking.boards.service.windows.monday");
        assertBad(
                "switchboard.booking.boards.service { flows = [BOOK_SERVICE], windows.monday = [\"08:00-12:00\"] }",
                "a window is written like \"08:00-12:00 x3\"");
        assertBad("switchboard.booking.time-zone = Mars/Olympus", "must be a time zone");
        assertBad("switchboard.booking.rules = [ { name = x, then = MAYBE } ]", "switchboard.booking.rules[0]");
        assertBad("switchboard.booking.holidays = [\"25/12/2026\"]", "dates are written like 2026-12-25");
        assertBad(
                "switchboard.qualify.menu = [ { digit = 1, service = a, label = A, kind = REPAIR }, { digit = 1, service = b, label = B, kind = REPAIR } ]",
                "menu digit 1 is used twice");
        assertBad(
                "switchboard.qualify.service-area.per-service { roofing = [\"276\"] }",
                "names a service that is not on the menu");
        assertBad("switchboard.qualify.service-area.everywhere = [\"ABCDE\"]", "a service-area entry is a ZIP");
        assertBad(
                "switchboard.booking.emergency.after-hours = \"PJSIP/101\"",
                "switchboard.booking.emergency.after-hours");
        assertBad("switchboard.qualify.prompts { zip = \"my zip.wav & x\" }", "switchboard.qualify.prompts.zip");
        assertBad("switchboard.qualify.prompts { welcome = hello }", "is not a prompt; the prompts are");
        assertBad(
                "switchboard.callbacks.qualify = true", "needs the interview: set switchboard.qualify.enabled = true");
        assertBad(
                "switchboard.qualify.enabled = true\nswitchboard.callbacks { qualify = true, release = agent-first }",
                "switchboard.callbacks.qualify");
    }

    @Test
    void theInterviewsPromptsAreTheShippedSetUnlessNamed() throws Exception {
        var s = load("switchboard.qualify.prompts { zip = \"custom/our-zip\" }");
        assertEquals("custom/our-zip", s.qualify().prompts().zip());
        assertEquals("switchboard/sb-urgency", s.qualify().prompts().urgency());
        assertEquals(
                new Handover.ToNumber("PJSIP/101"),
                load("switchboard.booking.emergency.in-hours = \"number:PJSIP/101\"")
                        .booking()
                        .emergency(OpenHours.State.OPEN));
        // Every shipped prompt is in asterisk-config (a contractor who renames none still hears every question).
        for (var name : switchboard.qualify.Prompts.SHIPPED.values())
            assertTrue(
                    java.nio.file.Files.exists(java.nio.file.Path.of("asterisk-config/sounds", name + ".wav")),
                    name + " is shipped");
        for (var o : switchboard.qualify.ServiceMenu.defaults().options())
            assertTrue(
                    java.nio.file.Files.exists(java.nio.file.Path.of("asterisk-config/sounds", o.prompt() + ".wav")),
                    o.prompt() + " is shipped");
    }

    private static void assertBad(String hocon, String expected) throws Exception {
        var e = assertThrows(SettingsException.class, () -> load(hocon));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
